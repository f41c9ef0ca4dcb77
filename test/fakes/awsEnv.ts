/**
 * The variables the AWS SDK's default credential chain reads from the
 * process environment (not from the env the registry is given): tests that
 * send Bedrock requests set or clear them for real, so the developer's own
 * AWS setup and the EC2 metadata service stay out.
 */
export const AWS_ENV = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_BEARER_TOKEN_BEDROCK',
] as const;
