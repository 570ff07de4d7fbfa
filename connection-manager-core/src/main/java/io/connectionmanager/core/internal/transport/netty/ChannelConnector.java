package io.connectionmanager.core.internal.transport.netty;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import io.connectionmanager.core.config.ConnectionSettings;
import io.connectionmanager.core.config.InboundSettings;
import io.connectionmanager.core.config.OutboundSettings;
import io.connectionmanager.core.config.ProxySettings;
import io.connectionmanager.core.transport.ConnectRequest;
import io.connectionmanager.core.transport.TransportSession;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.resolver.AddressResolver;
import io.netty.util.concurrent.Future;

/**
 * Opens one channel per transport attempt: resolves the host without blocking (again on
 * every attempt, trying a name's addresses in turn; answers come back to the connection's
 * loop), connects with the request's connect timeout, adds TLS when the URL asks for it,
 * then the protocol's own handlers. With a proxy ({@code proxy.*}) the proxy's name is
 * resolved instead, the target's name is left to the proxy, and the tunnel comes first in
 * the pipeline. Cancelling {@code opened} (engine timeout, disconnect) stops the attempt
 * wherever it is. One connector per connection, since it remembers which address was
 * tried last.
 */
public final class ChannelConnector {

	/** Netty's default high water mark, and the most a channel holds for a slow peer. */
	private static final int MAX_HIGH_WATER_MARK = 64 * 1024;

	private static final int MIN_HIGH_WATER_MARK = 1024;

	private final ConnectionSettings settings;

	private final EventLoopGroup group;

	private final AddressResolver<InetSocketAddress> resolver;

	private final Supplier<SslContext> sslContexts;

	private final ProxyTunnel tunnel;

	private final AddressRotation rotation = new AddressRotation();

	private final AddressRotation proxyRotation = new AddressRotation();

	/**
	 * @param settings the connection's settings (TLS, proxy, inbound and outbound bounds)
	 * @param group the event loop (group) to register on; the connection's own loop for
	 * the built-in transports
	 * @param resolver the runtime's non-blocking resolver
	 */
	public ChannelConnector(ConnectionSettings settings, EventLoopGroup group,
			AddressResolver<InetSocketAddress> resolver) {
		this(settings, group, resolver, null);
	}

	/**
	 * @param settings the connection's settings (TLS, proxy, inbound and outbound bounds)
	 * @param group the event loop (group) to register on; the connection's own loop for
	 * the built-in transports
	 * @param resolver the runtime's non-blocking resolver
	 * @param sslContexts the client TLS context of each attempt (e.g. with a client
	 * certificate that may be renewed), called once per TLS attempt on the event loop, so
	 * it must return a context built beforehand; {@code null} builds one from
	 * {@code tls.*}
	 */
	public ChannelConnector(ConnectionSettings settings, EventLoopGroup group,
			AddressResolver<InetSocketAddress> resolver, Supplier<SslContext> sslContexts) {
		this.settings = settings;
		this.group = group;
		this.resolver = resolver;
		this.sslContexts = (sslContexts != null) ? sslContexts : defaultContexts(settings);
		this.tunnel = (settings.proxy() != null) ? new ProxyTunnel(settings.proxy()) : null;
	}

	/** Built once, when the connection uses TLS at all. */
	private static Supplier<SslContext> defaultContexts(ConnectionSettings settings) {
		SslContext context = settings.isSecure() ? TlsContexts.clientContext(settings.tls()) : null;
		return () -> (context != null) ? context : TlsContexts.clientContext(settings.tls());
	}

	ConnectionSettings settings() {
		return this.settings;
	}

	/** The TLS context of one attempt. */
	SslContext sslContext() {
		return this.sslContexts.get();
	}

	ProxyTunnel tunnel() {
		return this.tunnel;
	}

	/** Whether connections are wrapped in TLS. */
	public boolean isSecure() {
		return this.settings.isSecure();
	}

	/** Whether a request's URL asks for TLS ({@code wss://}, {@code tls://}). */
	public static boolean isSecure(ConnectRequest request) {
		String scheme = request.uri().getScheme().toLowerCase(Locale.ROOT);
		return scheme.equals("wss") || scheme.equals("tls");
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

	/** Adds a protocol's handlers to a new channel. */
	@FunctionalInterface
	public interface Protocol {

		/**
		 * @param pipeline the channel's pipeline, with the tunnel and TLS (if any) in
		 * place
		 * @param tls the TLS handler, or {@code null}
		 * @param ready completes when bytes can flow to the server (the TLS handshake,
		 * else the proxy tunnel), or {@code null} when they can as soon as the channel is
		 * active
		 * @param attempt for the protocol's handlers to complete once the session is
		 * usable (or has failed)
		 */
		void addHandlers(ChannelPipeline pipeline, SslHandler tls, Future<?> ready,
				CompletableFuture<TransportSession> attempt);

	}

	static boolean isSelfConnect(Channel channel) {
		return channel.localAddress() != null && channel.localAddress().equals(channel.remoteAddress());
	}

	/**
	 * Starts one attempt.
	 * @param request where to connect
	 * @param defaultPort the port when the URL has none
	 * @param protocol adds the protocol's handlers after the tunnel and TLS
	 * @return completes with the session once the protocol handlers say it is usable, or
	 * with the attempt's failure, made explicit where Netty's is not (a proxy's refusal,
	 * a server's certificate alert); cancelling it stops the attempt wherever it is
	 */
	public CompletableFuture<TransportSession> connect(ConnectRequest request, int defaultPort, Protocol protocol) {
		CompletableFuture<TransportSession> opened = new CompletableFuture<>();
		String host = withoutBrackets(request.uri().getHost());
		int port = (request.uri().getPort() != -1) ? request.uri().getPort() : defaultPort;
		ProxySettings proxy = this.settings.proxy();
		boolean proxied = proxy != null && !proxy.bypasses(host);
		// Through a proxy, the proxy's name is resolved here and the target's by the
		// proxy.
		String resolvedHost = proxied ? withoutBrackets(proxy.url().getHost()) : host;
		int resolvedPort = proxied ? proxy.url().getPort() : port;
		AddressRotation addressRotation = proxied ? this.proxyRotation : this.rotation;
		EventLoop loop = this.group.next();
		// IP literals and hosts-file names are answered at once, without a query.
		Future<List<InetSocketAddress>> resolving = this.resolver
			.resolveAll(InetSocketAddress.createUnresolved(resolvedHost, resolvedPort));
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
				opened.completeExceptionally(new UnknownHostException(resolvedHost + ": no addresses"));
				return;
			}
			tryAddresses(addresses, addresses.size(), addressRotation, proxied, host, port, loop, request, opened,
					protocol);
		}));
		return opened;
	}

	/**
	 * Tries the name's addresses in turn: when one refuses the TCP connection, the next
	 * is tried within the same attempt, so that one attempt covers every address that
	 * answers at once (an address that does not answer takes the connect timeout, and the
	 * next attempt goes on from the address after it).
	 */
	private void tryAddresses(List<InetSocketAddress> addresses, int left, AddressRotation addressRotation,
			boolean proxied, String host, int port, EventLoop loop, ConnectRequest request,
			CompletableFuture<TransportSession> opened, Protocol protocol) {
		InetSocketAddress next = addressRotation.next(addresses);
		Runnable orNext = (left > 1) ? () -> tryAddresses(addresses, left - 1, addressRotation, proxied, host, port,
				loop, request, opened, protocol) : null;
		ChannelAttempt attempt = proxied
				? new ChannelAttempt(this, InetSocketAddress.createUnresolved(host, port), next, host, port)
				: new ChannelAttempt(this, next, null, host, port);
		attempt.start(loop, request, opened, protocol, orNext);
	}

}
