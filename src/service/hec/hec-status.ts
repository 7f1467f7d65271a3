/**
 * Splunk HTTP Event Collector status replies: HTTP status plus the JSON body `{"text": …, "code": n}` that
 * HEC clients (Splunk forwarders, Fluent Bit, Vector, Cribl, the OpenTelemetry exporter) read.
 *
 * Codes are Splunk's (Splunk docs, "Troubleshoot HTTP Event Collector": 0 success … 17 healthy). Request bodies
 * over the size limit get HTTP 413, as Splunk's HTTP server answers; its JSON body reuses code 6 with a text that
 * says why.
 */

export interface HecReply {
  status: number;
  body: { text: string; code: number; "invalid-event-number"?: number; ackId?: number };
}

export const HEC = {
  success: (ackId?: number): HecReply => ({
    status: 200,
    body: ackId === undefined ? { text: "Success", code: 0 } : { text: "Success", code: 0, ackId },
  }),
  tokenRequired: (): HecReply => ({ status: 401, body: { text: "Token is required", code: 2 } }),
  invalidAuthorization: (): HecReply => ({ status: 401, body: { text: "Invalid authorization", code: 3 } }),
  invalidToken: (): HecReply => ({ status: 403, body: { text: "Invalid token", code: 4 } }),
  noData: (): HecReply => ({ status: 400, body: { text: "No data", code: 5 } }),
  invalidDataFormat: (eventNumber: number): HecReply => ({
    status: 400,
    body: { text: "Invalid data format", code: 6, "invalid-event-number": eventNumber },
  }),
  serverError: (): HecReply => ({ status: 500, body: { text: "Internal server error", code: 8 } }),
  serverBusy: (): HecReply => ({ status: 503, body: { text: "Server is busy", code: 9 } }),
  channelMissing: (): HecReply => ({ status: 400, body: { text: "Data channel is missing", code: 10 } }),
  invalidChannel: (): HecReply => ({ status: 400, body: { text: "Invalid data channel", code: 11 } }),
  eventRequired: (eventNumber: number): HecReply => ({
    status: 400,
    body: { text: "Event field is required", code: 12, "invalid-event-number": eventNumber },
  }),
  eventBlank: (eventNumber: number): HecReply => ({
    status: 400,
    body: { text: "Event field cannot be blank", code: 13, "invalid-event-number": eventNumber },
  }),
  healthy: (): HecReply => ({ status: 200, body: { text: "HEC is healthy", code: 17 } }),
  queryStringAuthorization: (): HecReply => ({
    status: 400,
    body: { text: "Query string authorization is not enabled", code: 16 },
  }),
  tooLarge: (limit: number): HecReply => ({
    status: 413,
    body: { text: `Content too large (maximum is ${limit} bytes)`, code: 6 },
  }),
  notFound: (): HecReply => ({
    status: 404,
    body: { text: "The requested URL was not found on this server.", code: 404 },
  }),
  methodNotAllowed: (): HecReply => ({ status: 405, body: { text: "Method not allowed", code: 405 } }),
} as const;
