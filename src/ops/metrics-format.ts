// The Prometheus text format's content type, apart from prom-client so that serving it needs no
// import of the library (prom-client's Registry.PROMETHEUS_CONTENT_TYPE is the same string).
export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
