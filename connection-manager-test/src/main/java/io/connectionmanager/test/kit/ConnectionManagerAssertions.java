package io.connectionmanager.test.kit;

import io.connectionmanager.core.ManagedConnection;

/** Entry point of the kit's AssertJ assertions; import its methods statically. */
public final class ConnectionManagerAssertions {

	private ConnectionManagerAssertions() {
	}

	/** Assertions on a connection's state. */
	public static ConnectionAssert assertThat(ManagedConnection connection) {
		return new ConnectionAssert(connection);
	}

	/** Assertions on recorded events. */
	public static EventRecorderAssert assertThat(EventRecorder recorder) {
		return new EventRecorderAssert(recorder);
	}

}
