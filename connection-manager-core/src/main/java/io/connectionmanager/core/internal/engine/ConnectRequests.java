package io.connectionmanager.core.internal.engine;

import java.time.Clock;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import io.connectionmanager.core.handler.ConnectRequestFailedException;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.resume.ResumeCarrier;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.transport.ConnectRequest;

/**
 * Makes each attempt's {@link ConnectRequest}: the configured URL and headers with the
 * resume position, then, if the handler has a {@link ConnectionHandler#connectRequest
 * hook}, whatever it returns. The hook runs on the handler pool (never on the event
 * loop), not on the lane: a lane busy with the last session's messages must not hold up a
 * reconnect. Its failure is classified as {@link FailureKind#CONNECT_REQUEST}, never
 * described with the request (which may carry secrets).
 */
final class ConnectRequests {

	private final ConnectionSettings settings;

	private final ConnectionHandler handler;

	private final Executor pool;

	private final Clock clock;

	private final boolean hooked;

	ConnectRequests(ConnectionSettings settings, ConnectionHandler handler, Executor pool, Clock clock) {
		this.settings = settings;
		this.handler = handler;
		this.pool = pool;
		this.clock = clock;
		this.hooked = overridesHook(handler);
	}

	CompletableFuture<ConnectRequest> make(StreamPosition resumeFrom, URI endpoint) {
		ConnectRequest planned = ResumeCarrier.request(this.settings, endpoint, resumeFrom);
		if (!this.hooked) {
			return CompletableFuture.completedFuture(planned);
		}
		CompletableFuture<ConnectRequest> made = new CompletableFuture<>();
		this.pool.execute(() -> {
			try {
				this.handler.connectRequest(planned).whenComplete((request, error) -> {
					if (error != null) {
						made.completeExceptionally(error);
					}
					else {
						complete(made, request);
					}
				});
			}
			catch (Throwable ex) {
				made.completeExceptionally(ex);
			}
		});
		return made;
	}

	private void complete(CompletableFuture<ConnectRequest> made, ConnectRequest request) {
		if (request == null || request.uri() == null || request.uri().getHost() == null) {
			made.completeExceptionally(new ConnectRequestFailedException("returned no request with a host", false));
		}
		else if (!this.settings.url().getScheme().equalsIgnoreCase(String.valueOf(request.uri().getScheme()))) {
			made.completeExceptionally(new ConnectRequestFailedException(
					"must keep the configured scheme " + this.settings.url().getScheme().toLowerCase(Locale.ROOT),
					true));
		}
		else {
			made.complete(request);
		}
	}

	/** The hook failed (or returned something unusable). */
	Failure failure(Throwable error) {
		Throwable cause = (error instanceof CompletionException && error.getCause() != null) ? error.getCause() : error;
		boolean fatal = cause instanceof ConnectRequestFailedException failed && failed.isFatal();
		String detail = (cause.getMessage() != null) ? cause.getClass().getSimpleName() + ": " + cause.getMessage()
				: cause.getClass().getSimpleName();
		return new Failure(FailureKind.CONNECT_REQUEST, "the connect request hook failed: " + detail, fatal, null, null,
				this.clock.instant(), cause);
	}

	private static boolean overridesHook(ConnectionHandler handler) {
		try {
			return handler.getClass()
				.getMethod("connectRequest", ConnectRequest.class)
				.getDeclaringClass() != ConnectionHandler.class;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

}
