package org.wireingest.fetch;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real HTTP/1.1 server on the loopback interface (the JDK's {@code com.sun.net.httpserver}) with
 * exact-path routes, recording every request it receives. Unrouted paths answer 404. Public for the
 * poller tests, which fetch through it.
 */
public final class LocalHttpServer implements AutoCloseable {

  /** Writes the response of one exchange. */
  @FunctionalInterface
  public interface Route {
    void handle(HttpExchange exchange) throws IOException, InterruptedException;
  }

  /** A request as the server saw it. */
  public record Received(String method, String pathAndQuery, Headers headers) {
    public String header(String name) {
      return headers.getFirst(name);
    }
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Map<String, Route> routes = new ConcurrentHashMap<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();

  public LocalHttpServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);
    server.start();
  }

  /** Routes requests for exactly {@code path} (query ignored) to {@code route}; returns this. */
  public LocalHttpServer on(String path, Route route) {
    routes.put(path, route);
    return this;
  }

  /**
   * @return {@code http://127.0.0.1:<port><pathAndQuery>}
   */
  public URI uri(String pathAndQuery) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public List<Received> received() {
    return received;
  }

  public Received lastReceived() {
    return received.get(received.size() - 1);
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    received.add(
        new Received(
            exchange.getRequestMethod(),
            exchange.getRequestURI().toString(),
            exchange.getRequestHeaders()));
    try (exchange) {
      Route route = routes.get(exchange.getRequestURI().getPath());
      if (route == null) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        route.handle(exchange);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The client went away (cut off on purpose by a size cap or deadline): nothing to do.
    }
  }

  /**
   * A route answering {@code status} with {@code body} and a Content-Length, plus headers as
   * name/value pairs.
   */
  public static Route respond(int status, byte[] body, String... headerPairs) {
    return exchange -> {
      for (int i = 0; i < headerPairs.length; i += 2) {
        exchange.getResponseHeaders().add(headerPairs[i], headerPairs[i + 1]);
      }
      exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    };
  }

  /** A route answering {@code status} with no body, plus headers as name/value pairs. */
  public static Route respond(int status, String... headerPairs) {
    return respond(status, new byte[0], headerPairs);
  }

  /** A route answering 200 with {@code body} in chunked transfer coding (no Content-Length). */
  public static Route chunked(byte[] body, String... headerPairs) {
    return exchange -> {
      for (int i = 0; i < headerPairs.length; i += 2) {
        exchange.getResponseHeaders().add(headerPairs[i], headerPairs[i + 1]);
      }
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    };
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
