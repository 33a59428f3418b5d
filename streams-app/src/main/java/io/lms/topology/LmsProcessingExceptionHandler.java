package io.lms.topology;

import io.lms.schema.codec.SchemaUnavailableException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Sends a command that fails to the dead-letter topic and goes on, as Kafka Streams' own handler
 * does, unless it failed after some of its writes were made ({@link HalfAppliedCommandException}):
 * then going on would commit those writes, so the stream thread fails instead, which aborts them.
 * A command whose schema the registry could not be asked for ({@link SchemaUnavailableException})
 * fails the thread too: the command is not at fault, and is read again by the replacing thread.
 */
public final class LmsProcessingExceptionHandler extends LogAndContinueProcessingExceptionHandler {
  @Override
  public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    if (exception instanceof HalfAppliedCommandException || exception instanceof SchemaUnavailableException) {
      return Response.fail();
    }
    return super.handleError(context, record, exception);
  }
}
