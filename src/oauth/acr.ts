export const ACR_PASSWORD = 'urn:gatehouse:acr:pwd';
export const ACR_VALUES_SUPPORTED = [ACR_PASSWORD] as const;
