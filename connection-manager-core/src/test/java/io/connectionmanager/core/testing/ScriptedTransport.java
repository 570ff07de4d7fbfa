package io.connectionmanager.core.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.transport.ConnectRequest;
import io.connectionmanager.core.transport.Message;
import io.connectionmanager.core.transport.Transport;
import io.connectionmanager.core.transport.TransportListener;
import io.connectionmanager.core.transport.TransportSession;

/**
 * A transport whose attempts the test completes by hand, for state-machine tests on
 * virtual time. It exercises the SPI exactly as a real transport does; end-to-end
 * behaviour is covered against real loopback servers elsewhere.
 */
public final class ScriptedTransport implements Transport {

	private final List<Attempt> attempts = new ArrayList<>();

	@Override
	public CompletableFuture<TransportSession> open(ConnectRequest request, TransportListener listener) {
		Attempt attempt = new Attempt(request, listener);
		this.attempts.add(attempt);
		return attempt.future;
	}

	public List<Attempt> attempts() {
		return this.attempts;
	}

	public Attempt last() {
		return this.attempts.get(this.attempts.size() - 1);
	}

	/** One call to {@link #open}. */
	public static final class Attempt {

		public final ConnectRequest request;

		public final TransportListener listener;

		public final CompletableFuture<TransportSession> future = new CompletableFuture<>();

		public final Session session = new Session();

		Attempt(ConnectRequest request, TransportListener listener) {
			this.request = request;
			this.listener = listener;
		}

		public void open() {
			this.future.complete(this.session);
		}

		public void fail(Throwable error) {
			this.future.completeExceptionally(error);
		}

	}

	/** A session that records what the engine did with it. */
	public static final class Session implements TransportSession {

		public final List<Message> sent = new ArrayList<>();

		public int pings;

		public Integer closedWith;

		public boolean aborted;

		@Override
		public CompletableFuture<Void> send(Message message) {
			this.sent.add(message);
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public boolean ping(byte[] payload) {
			this.pings++;
			return true;
		}

		@Override
		public CompletableFuture<Void> close(int code, String reason) {
			this.closedWith = code;
			return CompletableFuture.completedFuture(null);
		}

		@Override
		public void abort() {
			this.aborted = true;
		}

	}

}
