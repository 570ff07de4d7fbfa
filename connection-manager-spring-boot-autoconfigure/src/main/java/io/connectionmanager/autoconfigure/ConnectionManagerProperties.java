package io.connectionmanager.autoconfigure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * Configuration of the managed connections.
 *
 * <pre>
 * connection-manager:
 *   defaults:            # merged under every connection
 *     heartbeat: { interval: 15s }
 *   connections:
 *     market-data:       # bean name, health key and metric tag
 *       url: wss://feed.example.com/v1/stream
 * </pre>
 */
@ConfigurationProperties(ConnectionManagerProperties.PREFIX)
public class ConnectionManagerProperties {

	public static final String PREFIX = "connection-manager";

	/**
	 * Whether connection management is enabled at all (master switch).
	 */
	private boolean enabled = true;

	/**
	 * Values merged under every connection: a connection's own value wins, then this one,
	 * then the built-in default.
	 */
	@NestedConfigurationProperty
	private final ConnectionProperties defaults = new ConnectionProperties();

	/**
	 * Connections by name. The name is the bean name (inject with @Qualifier("name")),
	 * the health component and the metric tag.
	 */
	private final Map<String, ConnectionProperties> connections = new LinkedHashMap<>();

	private final Runtime runtime = new Runtime();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public ConnectionProperties getDefaults() {
		return this.defaults;
	}

	public Map<String, ConnectionProperties> getConnections() {
		return this.connections;
	}

	public Runtime getRuntime() {
		return this.runtime;
	}

	/** The threads shared by every connection. */
	public static class Runtime {

		/**
		 * Event-loop threads shared by all connections (I/O, timers and state changes).
		 * Defaults to the number of available processors; does not need to grow with the
		 * number of connections.
		 */
		private Integer threads;

		public Integer getThreads() {
			return this.threads;
		}

		public void setThreads(Integer threads) {
			this.threads = threads;
		}

		/** The configured thread count, or one per available processor. */
		public int effectiveThreads() {
			return (this.threads != null) ? this.threads : java.lang.Runtime.getRuntime().availableProcessors();
		}

	}

}
