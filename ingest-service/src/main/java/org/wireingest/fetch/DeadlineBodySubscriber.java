package org.wireingest.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Exposes a response body as an {@link InputStream} whose reads wait at most the read timeout for
 * the next chunk, and never past the fetch's deadline; either limit raises an {@link
 * HttpTimeoutException}. The JDK's {@code BodySubscribers.ofInputStream()} blocks without a limit,
 * so a server that sends headers and then drips (or stalls) would hold the thread forever.
 *
 * <p>Back-pressure: one chunk list is requested at a time, when the reader takes the previous one.
 * Closing the stream cancels the subscription, which releases (closes) the connection when the body
 * was not read to its end. The stream is read by one thread; the subscriber side is called by the
 * HTTP client's threads.
 */
final class DeadlineBodySubscriber implements HttpResponse.BodySubscriber<InputStream> {

  /** A signal from the HTTP client to the reading thread. */
  private sealed interface Signal {}

  private record Chunk(List<ByteBuffer> buffers) implements Signal {}

  private record Failure(Throwable cause) implements Signal {}

  private record End() implements Signal {}

  private final BlockingQueue<Signal> signals = new LinkedBlockingQueue<>();
  private final long readTimeoutNanos;
  private final long deadlineNanos;
  private final BodyStream stream = new BodyStream();
  private volatile Flow.Subscription subscription;
  private volatile boolean cancelled;

  /**
   * @param readTimeoutNanos longest wait for the next chunk, nanoseconds; positive
   * @param deadlineNanos the {@link System#nanoTime()} after which no read waits any longer
   */
  DeadlineBodySubscriber(long readTimeoutNanos, long deadlineNanos) {
    this.readTimeoutNanos = readTimeoutNanos;
    this.deadlineNanos = deadlineNanos;
  }

  @Override
  public CompletionStage<InputStream> getBody() {
    return CompletableFuture.completedStage(stream);
  }

  @Override
  public void onSubscribe(Flow.Subscription newSubscription) {
    Objects.requireNonNull(newSubscription, "subscription");
    if (subscription != null) {
      newSubscription.cancel();
      return;
    }
    subscription = newSubscription;
    if (cancelled) {
      newSubscription.cancel();
    } else {
      newSubscription.request(1);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    signals.add(new Chunk(buffers));
  }

  @Override
  public void onError(Throwable throwable) {
    signals.add(new Failure(throwable));
  }

  @Override
  public void onComplete() {
    signals.add(new End());
  }

  private void cancel() {
    cancelled = true;
    Flow.Subscription current = subscription;
    if (current != null) {
      current.cancel();
    }
  }

  private void requestMore() {
    Flow.Subscription current = subscription;
    if (current != null && !cancelled) {
      current.request(1);
    }
  }

  private final class BodyStream extends InputStream {
    private Iterator<ByteBuffer> pending = List.<ByteBuffer>of().iterator();
    private ByteBuffer current;
    private boolean ended;
    private boolean closed;

    @Override
    public int read() throws IOException {
      ByteBuffer buffer = current();
      return buffer == null ? -1 : buffer.get() & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      Objects.checkFromIndexSize(offset, length, target.length);
      if (length == 0) {
        return 0;
      }
      ByteBuffer buffer = current();
      if (buffer == null) {
        return -1;
      }
      int n = Math.min(length, buffer.remaining());
      buffer.get(target, offset, n);
      return n;
    }

    @Override
    public int available() {
      return current == null ? 0 : current.remaining();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        cancel();
      }
    }

    /**
     * @return a buffer with bytes remaining, or null at the end of the body
     */
    private ByteBuffer current() throws IOException {
      while (current == null || !current.hasRemaining()) {
        if (closed) {
          throw new IOException("response body stream is closed");
        }
        if (pending.hasNext()) {
          current = pending.next();
          continue;
        }
        if (ended) {
          return null;
        }
        Signal signal = next();
        if (signal instanceof Chunk chunk) {
          pending = chunk.buffers().iterator();
          requestMore();
        } else if (signal instanceof Failure failure) {
          Throwable cause = failure.cause();
          throw cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
        } else {
          ended = true;
        }
      }
      return current;
    }

    private Signal next() throws IOException {
      long untilDeadline = deadlineNanos - System.nanoTime();
      if (untilDeadline <= 0) {
        throw new HttpTimeoutException("total deadline ran out while reading the body");
      }
      long wait = Math.min(readTimeoutNanos, untilDeadline);
      Signal signal;
      try {
        signal = signals.poll(wait, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while reading the body");
      }
      if (signal != null) {
        return signal;
      }
      throw new HttpTimeoutException(
          wait == readTimeoutNanos
              ? "no body data for "
                  + TimeUnit.NANOSECONDS.toMillis(readTimeoutNanos)
                  + " ms (read timeout)"
              : "total deadline ran out while reading the body");
    }
  }
}
