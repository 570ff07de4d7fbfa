package io.connectionmanager.autoconfigure.observation;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The observations of managed connections and their key names (Micrometer's documentation
 * format, from which its docs generator can list them).
 */
public enum ConnectionObservationDocumentation implements ObservationDocumentation {

	/**
	 * One connect attempt: from CONNECTING to CONNECTED (success), or to the state that
	 * ends the attempt (RECONNECTING or FATAL: failure; DISCONNECTED or a restarted
	 * attempt: cancelled).
	 */
	CONNECT {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultConnectObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return new KeyName[] { CommonKeys.CONNECTION, CommonKeys.ENDPOINT_HOST, ConnectKeys.OUTCOME,
					CommonKeys.FAILURE_KIND };
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return ConnectHighCardinalityKeys.values();
		}

	},

	/**
	 * One outage: from leaving CONNECTED (other than by a disconnect) until CONNECTED
	 * again, or until the connection is disconnected. A long task: its {@code .active}
	 * long-task timer shows the outages under way.
	 */
	OUTAGE {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultOutageObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return CommonKeys.values();
		}

	};

	/** Low-cardinality keys of both observations. */
	public enum CommonKeys implements KeyName {

		/** The connection's name. */
		CONNECTION {
			@Override
			public String asString() {
				return "connection";
			}
		},

		/** The host of the connection's URL (never its path, query or credentials). */
		ENDPOINT_HOST {
			@Override
			public String asString() {
				return "endpoint.host";
			}
		},

		/**
		 * The {@code FailureKind} that ended the attempt or began the outage, or
		 * {@code NONE}.
		 */
		FAILURE_KIND {
			@Override
			public String asString() {
				return "failure.kind";
			}
		}

	}

	/** Low-cardinality keys of the connect observation only. */
	public enum ConnectKeys implements KeyName {

		/**
		 * {@code SUCCESS}, {@code FAILURE}, {@code CANCELLED} (or {@code UNKNOWN} while
		 * under way).
		 */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		}

	}

	/** High-cardinality keys of the connect observation (on spans, not on meters). */
	public enum ConnectHighCardinalityKeys implements KeyName {

		/** The attempt's number, counted since the connection was last stable. */
		ATTEMPT {
			@Override
			public String asString() {
				return "connection.manager.attempt";
			}
		}

	}

}
