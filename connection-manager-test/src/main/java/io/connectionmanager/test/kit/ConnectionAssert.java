package io.connectionmanager.test.kit;

import java.time.Duration;

import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.core.state.ConnectionState;
import org.assertj.core.api.AbstractAssert;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * AssertJ assertions on a {@link ManagedConnection}'s state:
 * {@code assertThat(connection).reaches(CONNECTED).within(Duration.ofSeconds(10))}.
 */
public final class ConnectionAssert extends AbstractAssert<ConnectionAssert, ManagedConnection> {

	ConnectionAssert(ManagedConnection actual) {
		super(actual, ConnectionAssert.class);
	}

	/** Assert the connection is in {@code state} now. */
	public ConnectionAssert isIn(ConnectionState state) {
		isNotNull();
		ConnectionState current = this.actual.state();
		if (current != state) {
			failWithMessage("Expected connection '%s' to be %s but was %s", this.actual.name(), state, current);
		}
		return this;
	}

	/**
	 * Start an assertion that the connection reaches {@code state}; finish it with
	 * {@code within}.
	 */
	public Reaching reaches(ConnectionState state) {
		isNotNull();
		return new Reaching(state);
	}

	/** The second half of {@link #reaches(ConnectionState)}. */
	public final class Reaching {

		private final ConnectionState state;

		private Reaching(ConnectionState state) {
			this.state = state;
		}

		/**
		 * Wait up to {@code timeout} for the state, polling it; fail naming the last
		 * state seen.
		 */
		public ConnectionAssert within(Duration timeout) {
			ManagedConnection connection = ConnectionAssert.this.actual;
			try {
				Awaitility.await()
					.atMost(timeout)
					.pollInterval(Duration.ofMillis(20))
					.until(() -> connection.state() == this.state);
			}
			catch (ConditionTimeoutException ex) {
				failWithMessage("Expected connection '%s' to reach %s within %s but it was %s", connection.name(),
						this.state, timeout, connection.state());
			}
			return ConnectionAssert.this;
		}

	}

}
