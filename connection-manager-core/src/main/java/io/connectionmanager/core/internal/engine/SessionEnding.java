package io.connectionmanager.core.internal.engine;

import java.util.concurrent.CompletableFuture;

import io.connectionmanager.core.failure.Failure;
import io.connectionmanager.core.failure.FailureKind;
import io.connectionmanager.core.state.ConnectionState;
import io.connectionmanager.core.state.Trigger;
import io.connectionmanager.core.transport.TransportSession;

/**
 * How a session ends when its state is left: closed with the requested code when the
 * application asked or the failure is fatal; closed with 1000 when the peer is alive but
 * the session is no use (the handler closed it, the data went silent); dropped when the
 * peer is presumed dead.
 */
final class SessionEnding {

	private SessionEnding() {
	}

	/** Ends {@code session}; returns the close under way, or {@code null} if dropped. */
	static CompletableFuture<Void> end(TransportSession session, ConnectionState to, Trigger trigger, Failure cause,
			int closeCode) {
		if (to == ConnectionState.DISCONNECTED || to == ConnectionState.FATAL
				|| trigger == Trigger.RECONNECT_REQUESTED) {
			return session.close(closeCode, (to == ConnectionState.FATAL) ? "fatal failure"
					: (to == ConnectionState.DISCONNECTED) ? "disconnect" : "reconnect requested");
		}
		if (cause != null && (cause.kind() == FailureKind.SESSION_CLOSED || cause.kind() == FailureKind.DATA_SILENCE)) {
			return session.close(StateMachine.NORMAL_CLOSURE, closeReason(cause));
		}
		session.abort();
		return null;
	}

	/** A close reason within the 123 bytes a close frame allows. */
	private static String closeReason(Failure cause) {
		String reason = (cause.kind() == FailureKind.DATA_SILENCE) ? "no data" : cause.message();
		return (reason.length() > 60) ? reason.substring(0, 60) : reason;
	}

}
