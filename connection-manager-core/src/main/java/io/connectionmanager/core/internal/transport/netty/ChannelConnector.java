package io.connectionmanager.core.internal.transport.netty;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.InboundSettings;
import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.transport.ConnectRequest;
import io.connectionmanager.core.transport.TransportSession;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.NoopAddressResolverGroup;
import io.netty.util.concurrent.Future;

/**
 * Opens one channel per transport attempt: resolves the host without blocking (again on
 * every attempt, trying a name's addresses in turn; answers come back to the connection's
 * loop), connects with the request's connect timeout, adds TLS when the URL asks for it,
 * then the protocol's own handlers. Cancelling {@code opened} (engine timeout,
 * disconnect) stops the attempt wherever it is. One connector per connection, since it
 * remembers which address was tried last.
 */
public final class ChannelConnector {

	/** Netty's default high water mark, and the most a channel holds for a slow peer. */
	private static final int MAX_HIGH_WATER_MARK = 64 * 1024;

	private static final int MIN_HIGH_WATER_MARK = 1024;

	private final ConnectionSettings settings;

	private final EventLoopGroup group;

	private final AddressResolver<InetSocketAddress> resolver;

	private final SslContext sslContext;

	private final AddressRotation rotation = new AddressRotation();

	/**
	 * @param settings the connection's settings (TLS, inbound and outbound bounds)
	 * @param group the event loop (group) to register on; the connection's own loop for
	 * the built-in transports
	 * @param resolver the runtime's non-blocking resolver
	 */
	public ChannelConnector(ConnectionSettings settings, EventLoopGroup group,
			AddressResolver<InetSocketAddress> resolver) {
		this.settings = settings;
		this.group = group;
		this.resolver = resolver;
		this.sslContext = settings.isSecure() ? TlsContexts.clientContext(settings.tls()) : null;
	}

	/** Whether connections are wrapped in TLS. */
	public boolean isSecure() {
		return this.sslContext != null;
	}

	/**
	 * When reading pauses at the inbound bound, what was already read is still decoded
	 * and queued: at most one read. Reads are therefore capped at a quarter of the byte
	 * bound (between 1 KiB and Netty's usual 64 KiB), so that the overshoot stays
	 * proportionate for small bounds and unchanged for the default 8 MiB.
	 */
	static AdaptiveRecvByteBufAllocator readSizes(InboundSettings inbound) {
		int maximum = (int) Math.max(1024, Math.min(64 * 1024, inbound.maxQueuedBytes() / 4));
		return new AdaptiveRecvByteBufAllocator(64, Math.min(2048, maximum), maximum);
	}

	/**
	 * The channel turns unwritable (and the engine holds further sends in its own bounded
	 * buffer) above the high water mark: Netty's 64 KiB, or {@code outbound.buffer-bytes}
	 * if smaller (at least 1 KiB), so that a small byte budget is not exceeded tenfold
	 * inside Netty. It turns writable again below half of it.
	 */
	static WriteBufferWaterMark writeLimits(OutboundSettings outbound) {
		int high = (int) Math.max(MIN_HIGH_WATER_MARK, Math.min(MAX_HIGH_WATER_MARK, outbound.bufferBytes()));
		return new WriteBufferWaterMark(high / 2, high);
	}

	/** An IPv6 literal as a URI spells it ({@code [::1]}), as a resolver expects it. */
	private static String withoutBrackets(String host) {
		return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
	}

	private static boolean isSelfConnect(Channel channel) {
		return channel.localAddress() != null && channel.localAddress().equals(channel.remoteAddress());
	}

	/**
	 * @param request where to connect
	 * @param defaultPort the port when the URL has none
	 * @param opened completed by the protocol handlers once the session is usable
	 * @param protocol adds the protocol's handlers after TLS; receives the TLS handler or
	 * {@code null}
	 */
	public void connect(ConnectRequest request, int defaultPort, CompletableFuture<TransportSession> opened,
			BiConsumer<ChannelPipeline, SslHandler> protocol) {
		String host = request.uri().getHost();
		int port = (request.uri().getPort() != -1) ? request.uri().getPort() : defaultPort;
		EventLoop loop = this.group.next();
		// IP literals and hosts-file names are answered at once, without a query.
		Future<List<InetSocketAddress>> resolving = this.resolver
			.resolveAll(InetSocketAddress.createUnresolved(withoutBrackets(host), port));
		resolving.addListener((resolved) -> loop.execute(() -> {
			if (opened.isDone()) {
				return; // cancelled while resolving
			}
			if (!resolved.isSuccess()) {
				opened.completeExceptionally(resolved.cause());
				return;
			}
			List<InetSocketAddress> addresses = resolving.getNow();
			if (addresses == null || addresses.isEmpty()) {
				opened.completeExceptionally(new UnknownHostException(host + ": no addresses"));
				return;
			}
			connect(loop, this.rotation.next(addresses), request, host, port, opened, protocol);
		}));
	}

	private void connect(EventLoop loop, InetSocketAddress address, ConnectRequest request, String host, int port,
			CompletableFuture<TransportSession> opened, BiConsumer<ChannelPipeline, SslHandler> protocol) {
		Bootstrap bootstrap = new Bootstrap().group(loop)
			.channel(NioSocketChannel.class)
			// the address is resolved already; never fall back to the blocking resolver
			.resolver(NoopAddressResolverGroup.INSTANCE)
			.option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
					(int) Math.min(Integer.MAX_VALUE, request.connectTimeout().toMillis()))
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.RCVBUF_ALLOCATOR, readSizes(this.settings.inbound()))
			.option(ChannelOption.WRITE_BUFFER_WATER_MARK, writeLimits(this.settings.outbound()))
			.handler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					SslHandler tlsHandler = null;
					if (ChannelConnector.this.sslContext != null) {
						tlsHandler = TlsContexts.newHandler(ChannelConnector.this.sslContext,
								ChannelConnector.this.settings.tls(), channel.alloc(), host, port);
						channel.pipeline().addLast("tls", tlsHandler);
					}
					protocol.accept(channel.pipeline(), tlsHandler);
				}
			});
		ChannelFuture connecting = bootstrap.connect(address);
		connecting.addListener((future) -> {
			if (!future.isSuccess()) {
				opened.completeExceptionally(future.cause());
			}
			else if (isSelfConnect(connecting.channel())) {
				// Dialling a local port nobody listens on can "succeed" by connecting to
				// ourselves (Linux TCP simultaneous open when the ephemeral port equals
				// the target). Treat it as the refusal it is, and free the port at once
				// so the real server can bind it.
				connecting.channel().close();
				opened.completeExceptionally(new ConnectException(
						"Connection refused (self-connect to " + connecting.channel().localAddress() + ")"));
			}
		});
		opened.whenComplete((session, error) -> {
			if (error instanceof CancellationException) {
				connecting.channel().close();
			}
		});
	}

}
