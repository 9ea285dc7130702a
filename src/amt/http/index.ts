/** Public API of the AMT web server: sans-I/O core, handler seam, reply serializer, socket adapter. */
export { AmtHttpCore, pathOf, type AmtHttpCoreOptions, type Reply } from './core.js';
export { AmtHttpConnection, type ConnectionContext, type ConnectionIo } from './connection.js';
export { notFoundHandler, type AmtHandler, type AmtRequest, type AmtResponse, type AmtOrigin, type AmtTransport } from './handler.js';
export { DEFAULT_HTTP_LIMITS, type HttpLimits } from './limits.js';
export { DEFAULT_AMT_PROFILE, SERVER_HEADER_PREFIX, serverHeaderValue, type AmtHttpProfile } from './profile.js';
export { HttpRequestParser, type HttpRequest, type ParserEvent } from './request-parser.js';
export { htmlPage, UNAUTHORIZED_MESSAGE } from './response-writer.js';
export { listenAmtHttp, type AmtHttpListener, type ListenAmtHttpOptions } from './server.js';
