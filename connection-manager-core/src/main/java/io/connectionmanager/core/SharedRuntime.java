package io.connectionmanager.core;

import io.connectionmanager.core.runtime.ConnectionRuntime;

/**
 * The process-wide runtime for connections built without one: created on first use,
 * daemon threads, sized to the cores. Applications that manage lifecycles (Spring does)
 * pass their own runtime instead.
 */
public final class SharedRuntime {

	private SharedRuntime() {
	}

	public static ConnectionRuntime get() {
		return Holder.RUNTIME;
	}

	private static final class Holder {

		static final ConnectionRuntime RUNTIME = ConnectionRuntime.create();

	}

}
