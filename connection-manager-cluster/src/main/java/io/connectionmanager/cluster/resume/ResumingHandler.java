package io.connectionmanager.cluster.resume;

import java.time.Duration;
import java.util.concurrent.CompletionStage;

import io.connectionmanager.core.handler.ApplicationHeartbeat;
import io.connectionmanager.core.handler.AuthenticationContext;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.handler.ConnectionSession;
import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.event.SequenceGap;
import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.resume.GapAction;
import io.connectionmanager.core.resume.ResumeCarrier;
import io.connectionmanager.core.resume.ResumeStore;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.transport.ConnectRequest;
import io.connectionmanager.core.transport.Message;

/**
 * The application's handler, with every connect request resuming from the shared store's
 * position. The engine reads a store once, when the connection is built; a standby built
 * long before it takes the connection over would offer its own, stale position. This
 * reads the store before each attempt (on the handler lane, off the event loops) and
 * offers that position through the configured carrier ({@code query-parameter} or
 * {@code header}; with {@code handler}, {@code auth.resumePosition()} is still the
 * engine's). The numbers the previous holder delivered then look like a gap to this
 * replica's engine: such a gap is delivered past, never replayed. Everything else is the
 * application's handler.
 */
final class ResumingHandler implements ConnectionHandler {

	private final ConnectionHandler delegate;

	private final ConnectionSettings settings;

	private final ResumeStore store;

	private volatile StreamPosition resumedFrom;

	ResumingHandler(ConnectionHandler delegate, ConnectionSettings settings, ResumeStore store) {
		this.delegate = delegate;
		this.settings = settings;
		this.store = store;
	}

	@Override
	public CompletionStage<ConnectRequest> connectRequest(ConnectRequest planned) {
		StreamPosition shared = this.store.load(this.settings.name());
		if (shared == null) {
			return this.delegate.connectRequest(planned);
		}
		this.resumedFrom = shared;
		return this.delegate.connectRequest(ResumeCarrier.request(this.settings, shared));
	}

	@Override
	public GapAction onSequenceGap(SequenceGap gap) {
		StreamPosition from = this.resumedFrom;
		if (from != null && from.isNumeric() && gap.lastMissing() <= from.sequence()) {
			return GapAction.DELIVER; // delivered by the previous holder
		}
		return this.delegate.onSequenceGap(gap);
	}

	@Override
	public void authenticate(AuthenticationContext authentication) {
		this.delegate.authenticate(authentication);
	}

	@Override
	public void onAuthenticationMessage(AuthenticationContext authentication, Message message) {
		this.delegate.onAuthenticationMessage(authentication, message);
	}

	@Override
	public void onConnected(ConnectionSession session) {
		this.delegate.onConnected(session);
	}

	@Override
	public void onMessage(ConnectionSession session, Message message) {
		this.delegate.onMessage(session, message);
	}

	@Override
	public void onMessage(Message message) {
		this.delegate.onMessage(message);
	}

	@Override
	public void onDisconnected(Failure cause) {
		this.delegate.onDisconnected(cause);
	}

	@Override
	public Object correlationOf(Message message) {
		return this.delegate.correlationOf(message);
	}

	@Override
	public StreamPosition positionOf(Message message) {
		return this.delegate.positionOf(message);
	}

	@Override
	public Duration serverDelay(int closeCode, String reason) {
		return this.delegate.serverDelay(closeCode, reason);
	}

	@Override
	public ApplicationHeartbeat applicationHeartbeat() {
		return this.delegate.applicationHeartbeat();
	}

}
