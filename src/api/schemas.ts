/**
 * Request and response schemas of every route, for the OpenAPI document. They describe; they do not
 * validate (the app accepts any input here so that AQuA's own 400 messages come from one place).
 */
import Type from 'typebox';

const Bool = Type.Union([Type.Boolean(), Type.Literal('true'), Type.Literal('false')]);

const Deleted = Type.Object({
  column: Type.String(),
  format: Type.Union([Type.Literal('Numeric'), Type.Literal('Boolean')]),
  forceExport: Type.Optional(Bool),
});

const Query = Type.Object({
  name: Type.Optional(Type.String({ description: 'identifies the query; default query<N>' })),
  query: Type.String({ maxLength: 20_000 }),
  type: Type.Union([Type.Literal('zoql'), Type.Literal('zoqlexport')]),
  apiVersion: Type.Optional(Type.String()),
  deleted: Type.Optional(Type.Union([Deleted, Type.Array(Deleted)])),
  convertToCurrencies: Type.Optional(Type.Array(Type.String())),
});

export const SubmitBody = Type.Object(
  {
    format: Type.Optional(Type.String({ description: 'csv, zip or gzip, any case' })),
    version: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    name: Type.Optional(Type.String({ maxLength: 32 })),
    encrypted: Type.Optional(Type.String({ description: 'none or pgp' })),
    useQueryLabels: Type.Optional(Bool),
    dateTimeUtc: Type.Optional(Bool),
    nullReplacement: Type.Optional(Type.String()),
    partner: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    project: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    incrementalTime: Type.Optional(Type.String({ description: 'YYYY-MM-DD HH:mm:ss in the tenant zone' })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
    notifyUrl: Type.Optional(Type.String()),
    sourceData: Type.Optional(Type.String()),
    queries: Type.Optional(Type.Array(Query, { maxItems: 50 })),
  },
  { additionalProperties: true },
);

const Batch = Type.Object(
  {
    batchId: Type.String(),
    name: Type.String(),
    query: Type.String(),
    batchType: Type.String(),
    apiVersion: Type.String(),
    full: Type.Boolean(),
    recordCount: Type.Number(),
    status: Type.String(),
    localizedStatus: Type.String(),
    message: Type.Optional(Type.String()),
    fileId: Type.Optional(Type.String()),
    segments: Type.Optional(Type.Array(Type.String())),
  },
  { additionalProperties: true },
);

/** A job, or (with `status:"error"`, `errorCode` and `message`) an AQuA error, both HTTP 200. */
export const JobResponse = Type.Object(
  {
    id: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    status: Type.String(),
    version: Type.Optional(Type.String()),
    format: Type.Optional(Type.String()),
    encrypted: Type.Optional(Type.String()),
    startTime: Type.Optional(Type.String()),
    batches: Type.Optional(Type.Array(Batch)),
    errorCode: Type.Optional(Type.String()),
    message: Type.Optional(Type.String({ description: 'only on errors' })),
  },
  { additionalProperties: true },
);

export const RequestErrorResponse = Type.Object({
  success: Type.Literal(false),
  code: Type.Integer(),
  message: Type.String(),
});

export const RecordErrorResponse = Type.Object({
  Success: Type.Literal(false),
  Errors: Type.Array(Type.Object({ Code: Type.String(), Message: Type.String() })),
});

export const AuthErrorResponse = Type.Object({ message: Type.String() });

export const TokenRequest = Type.Object({
  grant_type: Type.Literal('client_credentials'),
  client_id: Type.Optional(Type.String()),
  client_secret: Type.Optional(Type.String()),
});

export const TokenResponse = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('bearer'),
  expires_in: Type.Integer(),
  scope: Type.String(),
  jti: Type.String(),
});

export const RecordBody = Type.Record(Type.String(), Type.Unknown());

export const CreatedResponse = Type.Object({ Success: Type.Literal(true), Id: Type.String() });
export const DeletedResponse = Type.Object({ success: Type.Literal(true), id: Type.String() });

export const JobParams = Type.Object({ id: Type.String() });
export const SessionParams = Type.Object({ partner: Type.String(), project: Type.String() });
export const FileParams = Type.Object({ fileId: Type.String() });
export const ObjectParams = Type.Object({ object: Type.String() });
export const RecordParams = Type.Object({ object: Type.String(), id: Type.String() });
export const DescribeParams = Type.Object({ object: Type.String() });

/** The headers every authenticated route accepts (one of the credential forms). */
export const AuthHeaders = Type.Object(
  {
    authorization: Type.Optional(Type.String({ description: 'Bearer <token> or Basic <user:password>' })),
    apiAccessKeyId: Type.Optional(Type.String()),
    apiSecretAccessKey: Type.Optional(Type.String()),
    'Zuora-Track-Id': Type.Optional(Type.String({ description: 'echoed in the response' })),
  },
  { additionalProperties: true },
);

export const SubmitHeaders = Type.Object(
  {
    ...AuthHeaders.properties,
    'Idempotency-Key': Type.Optional(Type.String({ description: 'same key and body within 24 h: same job' })),
  },
  { additionalProperties: true },
);
