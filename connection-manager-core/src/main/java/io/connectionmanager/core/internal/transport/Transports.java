package io.connectionmanager.core.internal.transport;

import io.connectionmanager.core.transport.Transport;
import java.util.Locale;
import java.util.function.Supplier;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.InvalidConnectionSettingException;
import io.connectionmanager.core.runtime.ConnectionExecutor;
import io.connectionmanager.core.runtime.ConnectionRuntime;
import io.connectionmanager.core.internal.transport.tcp.NettyTcpTransport;
import io.connectionmanager.core.internal.transport.websocket.NettyWebSocketTransport;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;

/** Picks the built-in transport for a URL scheme. */
public final class Transports {

	private Transports() {
	}

	/**
	 * The built-in transport for {@code settings.url()}, registered on the executor's own
	 * event loop when it has one, so that I/O and state changes share a thread, and
	 * resolving names with the runtime's non-blocking DNS resolver.
	 */
	public static Transport create(ConnectionSettings settings, ConnectionRuntime runtime,
			ConnectionExecutor executor) {
		return create(settings, runtime, executor, null);
	}

	/**
	 * As {@link #create(ConnectionSettings, ConnectionRuntime, ConnectionExecutor)}, with
	 * the TLS context of each attempt from {@code sslContexts} ({@code null}: built once
	 * from {@code tls.*}).
	 */
	public static Transport create(ConnectionSettings settings, ConnectionRuntime runtime, ConnectionExecutor executor,
			Supplier<SslContext> sslContexts) {
		EventLoop loop = ConnectionRuntime.eventLoopOf(executor);
		EventLoopGroup group = (loop != null) ? loop : runtime.ioGroup();
		String scheme = settings.url().getScheme().toLowerCase(Locale.ROOT);
		return switch (scheme) {
			case "ws", "wss" -> new NettyWebSocketTransport(settings, group, runtime.addressResolver(), sslContexts);
			case "tcp", "tls" -> new NettyTcpTransport(settings, group, runtime.addressResolver(), sslContexts);
			default -> throw new InvalidConnectionSettingException("url", settings.url(),
					"uses a scheme with no built-in transport; supply a Transport");
		};
	}

}
