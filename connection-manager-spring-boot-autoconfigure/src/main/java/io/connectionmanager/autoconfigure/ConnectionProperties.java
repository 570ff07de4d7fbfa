package io.connectionmanager.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.connectionmanager.core.backoff.Jitter;
import io.connectionmanager.core.config.EndpointSelection;
import io.connectionmanager.core.config.Framing;
import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.config.ResumeSettings;
import io.connectionmanager.core.config.SilenceSettings;

import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The keys of one connection, used both for {@code connection-manager.connections.<name>}
 * and for {@code connection-manager.defaults}. Bound once, through its constructor, and
 * immutable. Every value is nullable on purpose: {@code null} means "not set here", so
 * that a connection's value, else the defaults' value, else the core's built-in default
 * applies (see {@link ConnectionSettingsMapper}, the one place where they are merged).
 * The built-in defaults are declared for the IDE in
 * {@code META-INF/additional-spring-configuration-metadata.json}.
 *
 * @param url Server URL: ws://, wss://, tcp:// or tls:// (tcp and tls need a framing and
 * an explicit port). Required unless urls is set; no default.
 * @param urls Several server URLs of one scheme, the first being the primary: the
 * alternative to url (set exactly one of the two). Each failed attempt moves to the next
 * endpoint at once; only a failed round of all of them counts for the backoff and the
 * circuit breaker. Not set by default.
 * @param endpointSelection With urls: ordered (the primary first, back to it after
 * endpoint-failback-after) or random (shuffled once per connection, so that connections
 * and fleets spread over the endpoints).
 * @param endpointFailbackAfter With urls and endpoint-selection ordered: time CONNECTED
 * to another endpoint before the session moves back to the primary (without an outage
 * when the primary is up again; otherwise it stays and tries again later).
 * @param autoStartup Whether the connection connects when the application context starts.
 * @param critical Whether the connection takes the application's health DOWN while it is
 * not connected. A non-critical connection reports UNKNOWN instead.
 * @param connectTimeout Time allowed for one connect attempt (TCP, TLS and the WebSocket
 * upgrade).
 * @param authenticationTimeout Time allowed for the handler's authentication step after
 * the transport opened.
 * @param shutdownTimeout Time allowed for a graceful close (WebSocket 1001) on shutdown
 * before the transport is dropped.
 * @param headers Headers sent on the WebSocket handshake. Values are secrets: never
 * logged or shown by actuator. Merged key by key with the defaults' headers.
 * @param subprotocols WebSocket subprotocols offered on the handshake, in order of
 * preference.
 * @param framing Message framing for tcp:// and tls:// URLs: lines or length-prefixed.
 * Required for those schemes; no default.
 * @param reconnect Reconnect delays.
 * @param heartbeat Liveness checking while CONNECTED.
 * @param circuitBreaker The circuit breaker around connect attempts.
 * @param outbound What send does while the connection is not writable.
 * @param inbound Limits on what the peer can make the application hold.
 * @param resume Resuming a stream from the last position delivered.
 * @param tls TLS for wss:// and tls://.
 * @param failure Which failures are fatal.
 * @param cluster Where the connection runs when the application runs as several replicas.
 * @param proxy The proxy to connect through (HTTP CONNECT or SOCKS5). Not set by default
 * (direct connections).
 * @param compression Whether WebSocket permessage-deflate is offered on the handshake; a
 * server that declines it is used uncompressed.
 * @param ssl Client certificates for mutual TLS from a Spring Boot SSL bundle.
 * @param maxConnectionAge Age at which a session is replaced by a new one before the
 * server's own limit (e.g. 23h for a server that closes after 24 h), jittered by 5%
 * either way. With rotation.overlap the new session is authenticated before the old one
 * closes and the state stays CONNECTED; needs resume positions (the handler's positionOf)
 * to be gapless. Not set by default (sessions are never rotated).
 * @param rotation How a session is replaced at max-connection-age or on a drain message.
 */
public record ConnectionProperties(String url, List<String> urls, EndpointSelection endpointSelection,
		Duration endpointFailbackAfter, Boolean autoStartup, Boolean critical, Duration connectTimeout,
		Duration authenticationTimeout, Duration shutdownTimeout, @DefaultValue Map<String, String> headers,
		List<String> subprotocols, Framing framing, Reconnect reconnect, Heartbeat heartbeat,
		CircuitBreaker circuitBreaker, Outbound outbound, Inbound inbound, Resume resume, Tls tls, Failure failure,
		Cluster cluster, Proxy proxy, Boolean compression, Ssl ssl, Duration maxConnectionAge, Rotation rotation) {

	/**
	 * A group with no key set is left unbound and becomes an empty group here, so that
	 * readers never see {@code null}. With {@code @DefaultValue} on every group the
	 * binder looked up every key of every group of every connection: 3.2-3.4 ms of CPU
	 * per start-up with 10 connections, against 1.3-1.9 ms now.
	 */
	public ConnectionProperties {
		reconnect = (reconnect != null) ? reconnect : new Reconnect(null, null, null, null, null, null, null);
		heartbeat = (heartbeat != null) ? heartbeat : new Heartbeat(null, null, null);
		circuitBreaker = (circuitBreaker != null) ? circuitBreaker
				: new CircuitBreaker(null, null, null, null, null, null, null);
		outbound = (outbound != null) ? outbound : new Outbound(null, null, null, null, null);
		inbound = (inbound != null) ? inbound : new Inbound(null, null, null, null, null, null, null);
		resume = (resume != null) ? resume : new Resume(null, null, null, null, null, null, null);
		tls = (tls != null) ? tls : new Tls(null, null, null, null, null);
		failure = (failure != null) ? failure : new Failure(null, null);
		cluster = (cluster != null) ? cluster : new Cluster(null, null, null);
		proxy = (proxy != null) ? proxy : new Proxy(null, null, null, null);
		ssl = (ssl != null) ? ssl : new Ssl(null);
		rotation = (rotation != null) ? rotation : new Rotation(null, null);
	}

	/**
	 * How a session is replaced at max-connection-age or when the server asks to drain.
	 *
	 * @param overlap Whether the new session opens and authenticates before the old one
	 * closes (two sessions at once for a moment). Off: close first, reconnect at once,
	 * resume covers the gap. Always off for cluster.mode exclusive.
	 * @param drainMessage Text that, contained in a text message from the server, starts
	 * the same handover at once (e.g. "type":"reconnect"); the message is not delivered
	 * to the handler. Not set by default.
	 */
	public record Rotation(Boolean overlap, String drainMessage) {

	}

	/**
	 * The proxy to connect through; the server's host name is resolved by the proxy.
	 *
	 * @param url Proxy URL: http://host:port (HTTP CONNECT) or socks5://host:port. No
	 * credentials in it. Not set by default (direct connections).
	 * @param username User name for the proxy (HTTP Basic, or SOCKS5 username/password).
	 * Not set by default.
	 * @param password Password for the proxy. A secret: never logged or shown by
	 * actuator. Not set by default.
	 * @param nonProxyHosts Hosts reached directly, in the syntax of Java's
	 * http.nonProxyHosts: patterns separated by |, where * matches any characters (e.g.
	 * localhost|127.*|*.internal.example.com). Not set by default.
	 */
	public record Proxy(String url, String username, String password, String nonProxyHosts) {

		@Override
		public String toString() {
			return "Proxy[url=" + this.url + ", username=" + this.username + ", password="
					+ ((this.password != null) ? "******" : null) + ", nonProxyHosts=" + this.nonProxyHosts + "]";
		}

	}

	/**
	 * Client certificates for mutual TLS on wss:// and tls://.
	 *
	 * @param bundle Name of a Spring Boot SSL bundle (spring.ssl.bundle.jks.* or
	 * spring.ssl.bundle.pem.*) whose key store holds the client certificate and whose
	 * trust store verifies the server (the JDK's trust anchors when it has none). A
	 * reloaded bundle (reload-on-update) applies to the next connect attempt. Replaces
	 * tls.trust-store. Not set by default.
	 */
	public record Ssl(String bundle) {

	}

	/**
	 * Reconnect delays: min(max-delay, initial-delay * multiplier^n), randomised by the
	 * jitter.
	 *
	 * @param initialDelay Base delay before the first reconnect attempt.
	 * @param maxDelay Cap on any reconnect delay; must not be less than initial-delay.
	 * @param multiplier Growth of the delay per attempt; at least 1.0.
	 * @param jitter How delays are randomised: spread (a crowd that lost its server
	 * together comes back evenly), full, equal or decorrelated (AWS definitions), or
	 * none.
	 * @param maxAttempts Attempts after a loss before giving up into FATAL; -1 retries
	 * forever.
	 * @param resetAfter How long the connection must stay CONNECTED to count as stable,
	 * which resets the delay sequence.
	 * @param maxServerDelay Cap on a delay the server asks for (Retry-After on a 429 or
	 * 503 upgrade response, close code 1012 or 1013 read by the handler); the next delay
	 * is that delay, at most this, plus the normal jittered delay. The only case where a
	 * delay may exceed max-delay.
	 */
	public record Reconnect(Duration initialDelay, Duration maxDelay, Double multiplier, Jitter jitter,
			Integer maxAttempts, Duration resetAfter, Duration maxServerDelay) {

	}

	/**
	 * Liveness checking while CONNECTED.
	 *
	 * @param enabled Whether heartbeats run.
	 * @param interval Idle time (nothing sent or nothing received) before a ping is sent.
	 * @param timeout How long to wait for a pong or any inbound traffic after a ping
	 * before the connection counts as dead.
	 */
	public record Heartbeat(Boolean enabled, Duration interval, Duration timeout) {

	}

	/**
	 * The Resilience4j circuit breaker around connect attempts, in Resilience4j's names
	 * and meanings.
	 *
	 * @param enabled Whether connect attempts go through a circuit breaker.
	 * @param failureRateThreshold Failure percentage of recorded attempts, in (0, 100],
	 * that opens the breaker.
	 * @param minimumNumberOfCalls Attempts recorded before the failure rate is evaluated.
	 * @param slidingWindowSize Attempts in the count-based sliding window.
	 * @param waitDurationInOpenState How long the breaker stays open before it allows a
	 * probe attempt (see randomized-wait-factor).
	 * @param permittedNumberOfCallsInHalfOpenState Probe attempts allowed while
	 * half-open.
	 * @param randomizedWaitFactor Spread of the open-state wait, in [0, 1): each opening
	 * waits a random time in wait-duration-in-open-state * (1 +/- factor), so that
	 * connections whose breakers opened together do not all probe at once; 0 waits
	 * exactly wait-duration-in-open-state.
	 */
	public record CircuitBreaker(Boolean enabled, Float failureRateThreshold, Integer minimumNumberOfCalls,
			Integer slidingWindowSize, Duration waitDurationInOpenState, Integer permittedNumberOfCallsInHalfOpenState,
			Double randomizedWaitFactor) {

	}

	/**
	 * What send does while the connection cannot write.
	 *
	 * @param whenDisconnected What a send does while not connected: fail at once, or
	 * buffer until connected.
	 * @param bufferSize Most messages the outbound buffer holds.
	 * @param bufferBytes Most payload bytes the outbound buffer holds.
	 * @param overflow What a send that finds the buffer full does: reject it, or drop the
	 * oldest buffered message.
	 * @param rateLimit Outbound rate limit (a Resilience4j RateLimiter per connection).
	 */
	public record Outbound(OutboundSettings.WhenDisconnected whenDisconnected, Integer bufferSize, DataSize bufferBytes,
			OutboundSettings.Overflow overflow, RateLimit rateLimit) {

		/** Unbound when none of its keys is set (see {@link ConnectionProperties}). */
		public Outbound {
			rateLimit = (rateLimit != null) ? rateLimit : new RateLimit(null, null, null);
		}

		/**
		 * At most limit-for-period messages in any window of limit-refresh-period; sends
		 * beyond it wait in order in the outbound buffer.
		 *
		 * @param limitForPeriod Messages allowed in any window of limit-refresh-period,
		 * at most 10000; 0 turns the limit off.
		 * @param limitRefreshPeriod The window of the rate limit.
		 * @param timeout Longest a message waits for a send permit, from when it could
		 * otherwise have been written; past it the send's future fails.
		 */
		public record RateLimit(Integer limitForPeriod, Duration limitRefreshPeriod, Duration timeout) {

		}

	}

	/**
	 * Limits on what the peer can make the application hold.
	 *
	 * @param maxMessageSize Largest inbound message; a larger one closes the connection
	 * with a classified failure.
	 * @param maxQueuedMessages Messages held for a slow handler before reading pauses
	 * (backpressure to the peer).
	 * @param maxQueuedBytes Payload bytes held for a slow handler before reading pauses
	 * (backpressure to the peer).
	 * @param maxSilence Longest time without an application message (pongs do not count)
	 * while connected before on-silence applies. Not set by default (no watchdog).
	 * @param onSilence What a data silence does: reconnect (cause DATA_SILENCE) or event
	 * (a DataSilenceEvent only, once per silence).
	 * @param silenceSchedule Spring cron expression (six fields, seconds first) of the
	 * seconds during which silence counts, e.g. "* * 9-16 * * MON-FRI"; the silence clock
	 * restarts when such a window opens. Not set by default (always).
	 * @param silenceZone Time zone of silence-schedule. Defaults to the JVM's time zone.
	 */
	public record Inbound(DataSize maxMessageSize, Integer maxQueuedMessages, DataSize maxQueuedBytes,
			Duration maxSilence, SilenceSettings.OnSilence onSilence, String silenceSchedule, ZoneId silenceZone) {

	}

	/**
	 * Resuming a stream from the last position delivered to the application.
	 *
	 * @param enabled Whether stream positions are tracked, duplicates dropped and the
	 * position offered on reconnect.
	 * @param store Where the position is kept: memory, file (survives an application
	 * restart), or redis or jdbc (shared by every replica; needs
	 * connection-manager-cluster).
	 * @param directory Directory for the file store. Required when store is file; no
	 * default.
	 * @param carrier How the position reaches the server on reconnect: query-parameter,
	 * header, or handler (sent by the handler's authentication step).
	 * @param name Query parameter or header name that carries the position.
	 * @param flushInterval For the file, redis and jdbc stores: how often, at most, the
	 * position is written while messages flow (it is always written on disconnect and
	 * close); 0 writes after every message (redis and jdbc: written through before the
	 * next message is handled). After a crash, at most one interval's messages are
	 * delivered again (0: at most the one message being handled).
	 * @param fsync For the file store: force each write to the disk before it replaces
	 * the previous file. Without it a written position survives a crash of the process;
	 * with it, also a power loss or an operating-system crash, at the cost of one disk
	 * flush per write.
	 */
	public record Resume(Boolean enabled, ResumeStoreType store, Path directory, ResumeSettings.Carrier carrier,
			String name, Duration flushInterval, Boolean fsync) {

	}

	/**
	 * TLS for wss:// and tls://. Certificates are always verified; there is no "trust
	 * all" switch.
	 *
	 * @param trustStore Trust store to use instead of the JDK's default trust anchors.
	 * Not set by default (JDK trust anchors).
	 * @param trustStorePassword Password of the trust store. A secret: never logged or
	 * shown by actuator. Not set by default.
	 * @param trustStoreType Type of the trust store.
	 * @param verifyHostname Whether the server certificate must match the host name.
	 * @param serverName SNI server name to send instead of the URL's host. Not set by
	 * default (the URL's host).
	 */
	public record Tls(Path trustStore, String trustStorePassword, String trustStoreType, Boolean verifyHostname,
			String serverName) {

		@Override
		public String toString() {
			return "Tls[trustStore=" + this.trustStore + ", trustStorePassword="
					+ ((this.trustStorePassword != null) ? "******" : null) + ", trustStoreType=" + this.trustStoreType
					+ ", verifyHostname=" + this.verifyHostname + ", serverName=" + this.serverName + "]";
		}

	}

	/**
	 * Which failures are fatal (stop retrying into FATAL); everything else is retried.
	 *
	 * @param fatalHttpStatuses HTTP statuses on the WebSocket upgrade that are fatal.
	 * @param fatalCloseCodes WebSocket close codes from the peer that are fatal.
	 */
	public record Failure(Set<Integer> fatalHttpStatuses, Set<Integer> fatalCloseCodes) {

	}

	/**
	 * Where the connection runs when the application runs as several replicas (needs the
	 * connection-manager-cluster module for exclusive).
	 *
	 * @param mode everywhere (every replica opens the connection) or exclusive (only the
	 * replica holding the role opens it; the others are standbys).
	 * @param role Leadership role (lock key) of an exclusive connection. Default
	 * connection-manager/<name>; never inherited from the defaults.
	 * @param balance Whether a replica holding more than its share of the exclusive
	 * connections, ceil(connections / live replicas), hands the surplus over.
	 */
	public record Cluster(ClusterMode mode, String role, Boolean balance) {

	}

	@Override
	public String toString() {
		// URLs can carry tokens in their query, header values are secrets.
		String where = (this.url != null) ? this.url.replaceFirst("[?#].*$", "?...") : null;
		return "ConnectionProperties[url=" + where + ", headers=" + this.headers.keySet() + " (values hidden)]";
	}

}
