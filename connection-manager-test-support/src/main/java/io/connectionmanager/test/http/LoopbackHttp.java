package io.connectionmanager.test.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import com.jayway.jsonpath.JsonPath;

/**
 * Plain HTTP calls (JDK client) to an application under test on 127.0.0.1, e.g. its
 * actuator: errors are answers with a status, not exceptions.
 */
public final class LoopbackHttp {

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	public LoopbackHttp(int port) {
		this.base = "http://127.0.0.1:" + port;
	}

	public Response get(String path) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
	}

	public Response post(String path, String json) {
		return send(HttpRequest.newBuilder(URI.create(base + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json)));
	}

	private Response send(HttpRequest.Builder request) {
		try {
			HttpResponse<String> response = CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(),
					HttpResponse.BodyHandlers.ofString());
			return new Response(response.statusCode(), response.body());
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	/** Status and body of one response. */
	public record Response(int status, String body) {

		/**
		 * A JSON-path read of the body, e.g.
		 * {@code json("$.components.connections.status")}.
		 */
		public <T> T json(String path) {
			return JsonPath.read(body, path);
		}
	}

}
