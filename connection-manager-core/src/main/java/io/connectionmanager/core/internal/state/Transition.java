package io.connectionmanager.core.internal.state;

import io.connectionmanager.core.state.ConnectionState;
import java.util.Objects;

/**
 * What the transition table says about one (state, event) pair.
 *
 * @param kind whether the event moves the machine, is accepted without a move, or is not
 * allowed here
 * @param target the next state for {@link Kind#MOVE}; the current state for
 * {@link Kind#STAY}; {@code null} for {@link Kind#REJECT}
 */
public record Transition(Kind kind, ConnectionState target) {

	public enum Kind {

		/**
		 * Change to {@link #target()} (which may be the same state: a restart of its
		 * entry actions).
		 */
		MOVE,

		/** Valid here but changes nothing, e.g. connect while already connected. */
		STAY,

		/**
		 * Cannot happen in this state; the engine treats it as a stale or buggy signal
		 * and ignores it.
		 */
		REJECT

	}

	public Transition {
		Objects.requireNonNull(kind, "kind");
		if (kind != Kind.REJECT) {
			Objects.requireNonNull(target, "target");
		}
	}

	static Transition moveTo(ConnectionState target) {
		return new Transition(Kind.MOVE, target);
	}

	static Transition stay(ConnectionState state) {
		return new Transition(Kind.STAY, state);
	}

	static Transition reject() {
		return new Transition(Kind.REJECT, null);
	}

	public boolean isMove() {
		return this.kind == Kind.MOVE;
	}

}
