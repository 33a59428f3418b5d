package io.lms.http;

import io.lms.domain.ErrorCode;
import io.lms.schema.ApiError;
import java.nio.ByteBuffer;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The answers Jetty gives by itself, before a request reaches the API: an illegal character or an
 * ambiguous segment in the path, a request line or headers too long. They come in the API's error
 * envelope too, not as Jetty's HTML page, and say no more than the HTTP status does.
 */
final class JettyErrors extends ErrorHandler {
  private static final String JSON = "application/json";

  /** Jetty writes a body for GET, POST and HEAD only; the API answers every method alike. */
  @Override
  public boolean errorPageForMethod(String method) {
    return true;
  }

  @Override
  protected void generateResponse(
      Request request, Response response, int status, String message, Throwable cause, Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, JSON);
    response.write(true, ByteBuffer.wrap(body(status)), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, JSON);
    return ByteBuffer.wrap(body(status));
  }

  static byte[] body(int status) {
    ApiError error = switch (status) {
      case 404 -> ErrorCode.NOT_FOUND.error("");
      case 405 -> ErrorCode.METHOD_NOT_ALLOWED.error();
      case 413 -> ErrorCode.PAYLOAD_TOO_LARGE.error(HttpApi.MAX_BODY_BYTES);
      default -> status >= 500
          ? ErrorCode.NOT_READY.error("internal error")
          : ErrorCode.MALFORMED_HTTP.error(HttpStatus.getMessage(status));
    };
    return ApiJson.errors(List.of(error));
  }
}
