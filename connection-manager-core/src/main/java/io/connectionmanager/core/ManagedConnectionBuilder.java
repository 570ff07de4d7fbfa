package io.connectionmanager.core;

import io.connectionmanager.core.handler.ConnectionHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.ResumeSettings;
import io.connectionmanager.core.event.ConnectionListener;
import io.connectionmanager.core.internal.engine.ConnectionEngine;
import io.connectionmanager.core.internal.engine.EngineParts;
import io.connectionmanager.core.internal.resume.FileResumeStore;
import io.connectionmanager.core.internal.resume.InMemoryResumeStore;
import io.connectionmanager.core.resume.ResumeStore;
import io.connectionmanager.core.runtime.ConnectionExecutor;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.transport.Transport;
import io.connectionmanager.core.internal.transport.Transports;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.netty.handler.ssl.SslContext;

import org.springframework.util.backoff.BackOff;

/**
 * Assembles a {@link ManagedConnection}. Only the settings are required: the transport
 * follows from the URL scheme, delays from {@code reconnect.*}, the breaker from
 * {@code circuit-breaker.*}, and threads come from a {@link ConnectionRuntime} shared by
 * every connection that does not name its own.
 */
public final class ManagedConnectionBuilder {

	private final ConnectionSettings settings;

	private ConnectionHandler handler = ConnectionHandler.NONE;

	private ConnectionRuntime runtime;

	private ConnectionExecutor executor;

	private Transport transport;

	private CircuitBreaker circuitBreaker;

	private BackOff backOff;

	private RandomGenerator random;

	private final List<ConnectionListener> listeners = new ArrayList<>();

	private ResumeStore resumeStore;

	private Executor handlerExecutor;

	private Supplier<SslContext> sslContext;

	ManagedConnectionBuilder(ConnectionSettings settings) {
		this.settings = Objects.requireNonNull(settings, "settings");
	}

	/** The protocol side: authentication, application heartbeat, message handling. */
	public ManagedConnectionBuilder handler(ConnectionHandler handler) {
		this.handler = Objects.requireNonNull(handler, "handler");
		return this;
	}

	/** The shared threads to run on; defaults to {@link SharedRuntime#get()}. */
	public ManagedConnectionBuilder runtime(ConnectionRuntime runtime) {
		this.runtime = runtime;
		return this;
	}

	/**
	 * An explicit executor, e.g. a virtual-time one in tests. Overrides {@link #runtime}.
	 */
	public ManagedConnectionBuilder executor(ConnectionExecutor executor) {
		this.executor = executor;
		return this;
	}

	/**
	 * A transport of your own (the SPI); by default one is chosen from the URL scheme.
	 */
	public ManagedConnectionBuilder transport(Transport transport) {
		this.transport = transport;
		return this;
	}

	/** A breaker from your own registry; by default one is created from the settings. */
	public ManagedConnectionBuilder circuitBreaker(CircuitBreaker circuitBreaker) {
		this.circuitBreaker = circuitBreaker;
		return this;
	}

	/** Reconnect delays of your own, e.g. a {@code SpringRetryBackOffAdapter}. */
	public ManagedConnectionBuilder backOff(BackOff backOff) {
		this.backOff = backOff;
		return this;
	}

	/**
	 * The jitter source for the default backoff; inject a seeded one for reproducible
	 * runs.
	 */
	public ManagedConnectionBuilder random(RandomGenerator random) {
		this.random = random;
		return this;
	}

	/**
	 * Where resume positions are kept; by default from {@code resume.store} (memory, or
	 * files in a directory).
	 */
	public ManagedConnectionBuilder resumeStore(ResumeStore resumeStore) {
		this.resumeStore = resumeStore;
		return this;
	}

	/**
	 * Where the handler's {@code onMessage} runs; by default the runtime's handler pool
	 * (or, with an explicit {@link #executor} and no runtime, that executor, which keeps
	 * virtual-time tests deterministic).
	 */
	public ManagedConnectionBuilder handlerExecutor(Executor handlerExecutor) {
		this.handlerExecutor = handlerExecutor;
		return this;
	}

	/**
	 * The client TLS context for {@code wss://} and {@code tls://}, e.g. with a client
	 * certificate for mutual TLS; by default one is built from {@code tls.*}. Asked once
	 * per connect attempt, on the connection's event loop, so a renewed certificate
	 * applies to the next attempt: return a context built beforehand (rebuild it when the
	 * certificate changes), never build one in the call. Host-name verification and SNI
	 * still follow {@code tls.verify-hostname} and {@code tls.server-name}.
	 */
	public ManagedConnectionBuilder sslContext(Supplier<SslContext> sslContext) {
		this.sslContext = sslContext;
		return this;
	}

	public ManagedConnectionBuilder listener(ConnectionListener listener) {
		this.listeners.add(Objects.requireNonNull(listener, "listener"));
		return this;
	}

	public ManagedConnection build() {
		ConnectionRuntime effectiveRuntime = (this.runtime != null) ? this.runtime : SharedRuntime.get();
		ConnectionExecutor effectiveExecutor = (this.executor != null) ? this.executor : effectiveRuntime.newExecutor();
		Transport effectiveTransport = (this.transport != null) ? this.transport
				: Transports.create(this.settings, effectiveRuntime, effectiveExecutor, this.sslContext);
		CircuitBreaker breaker = this.circuitBreaker;
		if (breaker == null && this.settings.circuitBreaker().enabled()) {
			breaker = CircuitBreaker.of(this.settings.name(),
					this.settings.circuitBreaker().toConfig(effectiveExecutor.clock()));
		}
		BackOff effectiveBackOff = (this.backOff != null) ? this.backOff
				: this.settings.reconnect().toBackOff(this.random);
		Executor effectiveHandlerExecutor = (this.handlerExecutor != null) ? this.handlerExecutor
				: (this.executor != null && this.runtime == null) ? effectiveExecutor
						: effectiveRuntime.handlerExecutor();
		ResumeStore store = this.settings.resume().enabled() ? effectiveResumeStore() : null;
		ConnectionRuntime sharedRuntime = (this.executor != null && this.runtime == null) ? null : effectiveRuntime;
		ConnectionEngine engine = new EngineParts(this.settings, effectiveExecutor, this.handler, effectiveTransport,
				breaker, effectiveBackOff, this.listeners, store, effectiveHandlerExecutor, sharedRuntime)
			.build();
		return new ManagedConnection(this.settings, engine, effectiveExecutor, breaker, effectiveTransport, null);
	}

	private ResumeStore effectiveResumeStore() {
		if (this.resumeStore != null) {
			return this.resumeStore;
		}
		ResumeSettings resume = this.settings.resume();
		return (resume.store() == ResumeSettings.Store.FILE)
				? new FileResumeStore(resume.directory(), resume.flushInterval(), resume.fsync())
				: new InMemoryResumeStore();
	}

}
