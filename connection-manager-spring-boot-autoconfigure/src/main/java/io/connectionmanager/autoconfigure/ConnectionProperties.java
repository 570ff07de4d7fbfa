package io.connectionmanager.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.Framing;
import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.config.ResumeSettings;

import org.springframework.util.unit.DataSize;

/**
 * The keys of one connection, used both for {@code connection-manager.connections.<name>}
 * and for {@code connection-manager.defaults}. Every field is nullable on purpose:
 * {@code null} means "not set here", so that a connection's value, else the defaults'
 * value, else the core's built-in default applies (see {@link ConnectionSettingsMapper}).
 * The built-in defaults are declared for the IDE in
 * {@code META-INF/additional-spring-configuration-metadata.json}.
 */
public class ConnectionProperties {

	/**
	 * Server URL: ws://, wss://, tcp:// or tls:// (tcp and tls need a framing and an
	 * explicit port). Required; no default.
	 */
	private String url;

	/**
	 * Whether the connection connects when the application context starts.
	 */
	private Boolean autoStartup;

	/**
	 * Whether the connection takes the application's health DOWN while it is not
	 * connected. A non-critical connection reports UNKNOWN instead.
	 */
	private Boolean critical;

	/**
	 * Time allowed for one connect attempt (TCP, TLS and the WebSocket upgrade).
	 */
	private Duration connectTimeout;

	/**
	 * Time allowed for the handler's authentication step after the transport opened.
	 */
	private Duration authenticationTimeout;

	/**
	 * Time allowed for a graceful close (WebSocket 1001) on shutdown before the transport
	 * is dropped.
	 */
	private Duration shutdownTimeout;

	/**
	 * Headers sent on the WebSocket handshake. Values are secrets: never logged or shown
	 * by actuator. Merged key by key with the defaults' headers.
	 */
	private final Map<String, String> headers = new LinkedHashMap<>();

	/**
	 * WebSocket subprotocols offered on the handshake, in order of preference.
	 */
	private List<String> subprotocols;

	/**
	 * Message framing for tcp:// and tls:// URLs: lines or length-prefixed. Required for
	 * those schemes; no default.
	 */
	private Framing framing;

	private final Reconnect reconnect = new Reconnect();

	private final Heartbeat heartbeat = new Heartbeat();

	private final CircuitBreaker circuitBreaker = new CircuitBreaker();

	private final Outbound outbound = new Outbound();

	private final Inbound inbound = new Inbound();

	private final Resume resume = new Resume();

	private final Tls tls = new Tls();

	private final Failure failure = new Failure();

	public String getUrl() {
		return this.url;
	}

	public void setUrl(String url) {
		this.url = url;
	}

	public Boolean getAutoStartup() {
		return this.autoStartup;
	}

	public void setAutoStartup(Boolean autoStartup) {
		this.autoStartup = autoStartup;
	}

	public Boolean getCritical() {
		return this.critical;
	}

	public void setCritical(Boolean critical) {
		this.critical = critical;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getAuthenticationTimeout() {
		return this.authenticationTimeout;
	}

	public void setAuthenticationTimeout(Duration authenticationTimeout) {
		this.authenticationTimeout = authenticationTimeout;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		this.shutdownTimeout = shutdownTimeout;
	}

	public Map<String, String> getHeaders() {
		return this.headers;
	}

	public List<String> getSubprotocols() {
		return this.subprotocols;
	}

	public void setSubprotocols(List<String> subprotocols) {
		this.subprotocols = subprotocols;
	}

	public Framing getFraming() {
		return this.framing;
	}

	public void setFraming(Framing framing) {
		this.framing = framing;
	}

	public Reconnect getReconnect() {
		return this.reconnect;
	}

	public Heartbeat getHeartbeat() {
		return this.heartbeat;
	}

	public CircuitBreaker getCircuitBreaker() {
		return this.circuitBreaker;
	}

	public Outbound getOutbound() {
		return this.outbound;
	}

	public Inbound getInbound() {
		return this.inbound;
	}

	public Resume getResume() {
		return this.resume;
	}

	public Tls getTls() {
		return this.tls;
	}

	public Failure getFailure() {
		return this.failure;
	}

	/**
	 * Reconnect delays: min(max-delay, initial-delay * multiplier^n), randomised by the
	 * jitter.
	 */
	public static class Reconnect {

		/**
		 * Base delay before the first reconnect attempt.
		 */
		private Duration initialDelay;

		/**
		 * Cap on any reconnect delay; must not be less than initial-delay.
		 */
		private Duration maxDelay;

		/**
		 * Growth of the delay per attempt; at least 1.0.
		 */
		private Double multiplier;

		/**
		 * How delays are randomised: full, equal, decorrelated or none (AWS definitions).
		 */
		private Jitter jitter;

		/**
		 * Attempts after a loss before giving up into FATAL; -1 retries forever.
		 */
		private Integer maxAttempts;

		/**
		 * How long the connection must stay CONNECTED to count as stable, which resets
		 * the delay sequence.
		 */
		private Duration resetAfter;

		public Duration getInitialDelay() {
			return this.initialDelay;
		}

		public void setInitialDelay(Duration initialDelay) {
			this.initialDelay = initialDelay;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

		public Double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(Double multiplier) {
			this.multiplier = multiplier;
		}

		public Jitter getJitter() {
			return this.jitter;
		}

		public void setJitter(Jitter jitter) {
			this.jitter = jitter;
		}

		public Integer getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(Integer maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getResetAfter() {
			return this.resetAfter;
		}

		public void setResetAfter(Duration resetAfter) {
			this.resetAfter = resetAfter;
		}

	}

	/** Liveness checking while CONNECTED. */
	public static class Heartbeat {

		/**
		 * Whether heartbeats run.
		 */
		private Boolean enabled;

		/**
		 * Idle time (nothing sent or nothing received) before a ping is sent.
		 */
		private Duration interval;

		/**
		 * How long to wait for a pong or any inbound traffic after a ping before the
		 * connection counts as dead.
		 */
		private Duration timeout;

		public Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(Boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * The Resilience4j circuit breaker around connect attempts, in Resilience4j's names
	 * and meanings.
	 */
	public static class CircuitBreaker {

		/**
		 * Whether connect attempts go through a circuit breaker.
		 */
		private Boolean enabled;

		/**
		 * Failure percentage of recorded attempts, in (0, 100], that opens the breaker.
		 */
		private Float failureRateThreshold;

		/**
		 * Attempts recorded before the failure rate is evaluated.
		 */
		private Integer minimumNumberOfCalls;

		/**
		 * Attempts in the count-based sliding window.
		 */
		private Integer slidingWindowSize;

		/**
		 * How long the breaker stays open before it allows a probe attempt.
		 */
		private Duration waitDurationInOpenState;

		/**
		 * Probe attempts allowed while half-open.
		 */
		private Integer permittedNumberOfCallsInHalfOpenState;

		public Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(Boolean enabled) {
			this.enabled = enabled;
		}

		public Float getFailureRateThreshold() {
			return this.failureRateThreshold;
		}

		public void setFailureRateThreshold(Float failureRateThreshold) {
			this.failureRateThreshold = failureRateThreshold;
		}

		public Integer getMinimumNumberOfCalls() {
			return this.minimumNumberOfCalls;
		}

		public void setMinimumNumberOfCalls(Integer minimumNumberOfCalls) {
			this.minimumNumberOfCalls = minimumNumberOfCalls;
		}

		public Integer getSlidingWindowSize() {
			return this.slidingWindowSize;
		}

		public void setSlidingWindowSize(Integer slidingWindowSize) {
			this.slidingWindowSize = slidingWindowSize;
		}

		public Duration getWaitDurationInOpenState() {
			return this.waitDurationInOpenState;
		}

		public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
			this.waitDurationInOpenState = waitDurationInOpenState;
		}

		public Integer getPermittedNumberOfCallsInHalfOpenState() {
			return this.permittedNumberOfCallsInHalfOpenState;
		}

		public void setPermittedNumberOfCallsInHalfOpenState(Integer permittedNumberOfCallsInHalfOpenState) {
			this.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState;
		}

	}

	/** What send does while the connection is not CONNECTED. */
	public static class Outbound {

		/**
		 * What a send does while not connected: fail at once, or buffer until connected.
		 */
		private OutboundSettings.WhenDisconnected whenDisconnected;

		/**
		 * Most messages the outbound buffer holds.
		 */
		private Integer bufferSize;

		/**
		 * Most payload bytes the outbound buffer holds.
		 */
		private DataSize bufferBytes;

		/**
		 * What a send that finds the buffer full does: reject it, or drop the oldest
		 * buffered message.
		 */
		private OutboundSettings.Overflow overflow;

		public OutboundSettings.WhenDisconnected getWhenDisconnected() {
			return this.whenDisconnected;
		}

		public void setWhenDisconnected(OutboundSettings.WhenDisconnected whenDisconnected) {
			this.whenDisconnected = whenDisconnected;
		}

		public Integer getBufferSize() {
			return this.bufferSize;
		}

		public void setBufferSize(Integer bufferSize) {
			this.bufferSize = bufferSize;
		}

		public DataSize getBufferBytes() {
			return this.bufferBytes;
		}

		public void setBufferBytes(DataSize bufferBytes) {
			this.bufferBytes = bufferBytes;
		}

		public OutboundSettings.Overflow getOverflow() {
			return this.overflow;
		}

		public void setOverflow(OutboundSettings.Overflow overflow) {
			this.overflow = overflow;
		}

	}

	/** Limits on what the peer can make the application hold. */
	public static class Inbound {

		/**
		 * Largest inbound message; a larger one closes the connection with a classified
		 * failure.
		 */
		private DataSize maxMessageSize;

		/**
		 * Messages held for a slow handler before reading pauses (backpressure to the
		 * peer).
		 */
		private Integer maxQueuedMessages;

		/**
		 * Payload bytes held for a slow handler before reading pauses (backpressure to
		 * the peer).
		 */
		private DataSize maxQueuedBytes;

		public DataSize getMaxMessageSize() {
			return this.maxMessageSize;
		}

		public void setMaxMessageSize(DataSize maxMessageSize) {
			this.maxMessageSize = maxMessageSize;
		}

		public Integer getMaxQueuedMessages() {
			return this.maxQueuedMessages;
		}

		public void setMaxQueuedMessages(Integer maxQueuedMessages) {
			this.maxQueuedMessages = maxQueuedMessages;
		}

		public DataSize getMaxQueuedBytes() {
			return this.maxQueuedBytes;
		}

		public void setMaxQueuedBytes(DataSize maxQueuedBytes) {
			this.maxQueuedBytes = maxQueuedBytes;
		}

	}

	/** Resuming a stream from the last position delivered to the application. */
	public static class Resume {

		/**
		 * Whether stream positions are tracked, duplicates dropped and the position
		 * offered on reconnect.
		 */
		private Boolean enabled;

		/**
		 * Where the position is kept: memory, or file (survives an application restart).
		 */
		private ResumeSettings.Store store;

		/**
		 * Directory for the file store. Required when store is file; no default.
		 */
		private Path directory;

		/**
		 * How the position reaches the server on reconnect: query-parameter, header, or
		 * handler (sent by the handler's authentication step).
		 */
		private ResumeSettings.Carrier carrier;

		/**
		 * Query parameter or header name that carries the position.
		 */
		private String name;

		/**
		 * For the file store: how often, at most, the position is written while messages
		 * flow (it is always written on disconnect and close); 0 writes after every
		 * message. After a crash, at most one interval's messages are delivered again.
		 */
		private Duration flushInterval;

		public Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(Boolean enabled) {
			this.enabled = enabled;
		}

		public ResumeSettings.Store getStore() {
			return this.store;
		}

		public void setStore(ResumeSettings.Store store) {
			this.store = store;
		}

		public Path getDirectory() {
			return this.directory;
		}

		public void setDirectory(Path directory) {
			this.directory = directory;
		}

		public ResumeSettings.Carrier getCarrier() {
			return this.carrier;
		}

		public void setCarrier(ResumeSettings.Carrier carrier) {
			this.carrier = carrier;
		}

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

		public Duration getFlushInterval() {
			return this.flushInterval;
		}

		public void setFlushInterval(Duration flushInterval) {
			this.flushInterval = flushInterval;
		}

	}

	/**
	 * TLS for wss:// and tls://. Certificates are always verified; there is no "trust
	 * all" switch.
	 */
	public static class Tls {

		/**
		 * Trust store to use instead of the JDK's default trust anchors. Not set by
		 * default (JDK trust anchors).
		 */
		private Path trustStore;

		/**
		 * Password of the trust store. A secret: never logged or shown by actuator. Not
		 * set by default.
		 */
		private String trustStorePassword;

		/**
		 * Type of the trust store.
		 */
		private String trustStoreType;

		/**
		 * Whether the server certificate must match the host name.
		 */
		private Boolean verifyHostname;

		/**
		 * SNI server name to send instead of the URL's host. Not set by default (the
		 * URL's host).
		 */
		private String serverName;

		public Path getTrustStore() {
			return this.trustStore;
		}

		public void setTrustStore(Path trustStore) {
			this.trustStore = trustStore;
		}

		public String getTrustStorePassword() {
			return this.trustStorePassword;
		}

		public void setTrustStorePassword(String trustStorePassword) {
			this.trustStorePassword = trustStorePassword;
		}

		public String getTrustStoreType() {
			return this.trustStoreType;
		}

		public void setTrustStoreType(String trustStoreType) {
			this.trustStoreType = trustStoreType;
		}

		public Boolean getVerifyHostname() {
			return this.verifyHostname;
		}

		public void setVerifyHostname(Boolean verifyHostname) {
			this.verifyHostname = verifyHostname;
		}

		public String getServerName() {
			return this.serverName;
		}

		public void setServerName(String serverName) {
			this.serverName = serverName;
		}

	}

	/**
	 * Which failures are fatal (stop retrying into FATAL); everything else is retried.
	 */
	public static class Failure {

		/**
		 * HTTP statuses on the WebSocket upgrade that are fatal.
		 */
		private Set<Integer> fatalHttpStatuses;

		/**
		 * WebSocket close codes from the peer that are fatal.
		 */
		private Set<Integer> fatalCloseCodes;

		public Set<Integer> getFatalHttpStatuses() {
			return this.fatalHttpStatuses;
		}

		public void setFatalHttpStatuses(Set<Integer> fatalHttpStatuses) {
			this.fatalHttpStatuses = fatalHttpStatuses;
		}

		public Set<Integer> getFatalCloseCodes() {
			return this.fatalCloseCodes;
		}

		public void setFatalCloseCodes(Set<Integer> fatalCloseCodes) {
			this.fatalCloseCodes = fatalCloseCodes;
		}

	}

}
