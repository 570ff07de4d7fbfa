package io.connectionmanager.test.proxy;

import io.connectionmanager.test.net.LoopbackServer;
import io.connectionmanager.test.net.ReadHolds;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * What the HTTP CONNECT and SOCKS5 proxies share: optional credentials, a record of the
 * tunnels asked for, and the tunnel itself: once a client's handshake is accepted, an
 * upstream connection to the requested target on the same event loop, then bytes relayed
 * both ways untouched (with back-pressure), closing one leg when the other closes.
 */
public abstract class TunnelingProxy extends LoopbackServer {

	private final String scheme;

	private final String username;

	private final String password;

	private final List<String> requestedTargets = new CopyOnWriteArrayList<>();

	private final AtomicLong tunnels = new AtomicLong();

	private final AtomicLong authenticationFailures = new AtomicLong();

	private final LongAdder relayed = new LongAdder();

	protected TunnelingProxy(String threadNamePrefix, String scheme, String username, String password) {
		super(threadNamePrefix, 1);
		this.scheme = scheme;
		this.username = username;
		this.password = password;
	}

	/** {@code SCHEME://127.0.0.1:PORT}, e.g. {@code http://} or {@code socks5://}. */
	public final String url() {
		return scheme + "://127.0.0.1:" + port();
	}

	/** Whether clients must authenticate. */
	public final boolean requiresCredentials() {
		return username != null;
	}

	/**
	 * Whether the credentials are the configured ones (counts a failure when not).
	 */
	protected final boolean acceptsCredentials(String user, String pass) {
		boolean ok = username.equals(user) && password.equals(pass);
		if (!ok) {
			authenticationFailures.incrementAndGet();
		}
		return ok;
	}

	/** Counts a client that offered no credentials although they are required. */
	protected final void missingCredentials() {
		authenticationFailures.incrementAndGet();
	}

	/** {@code host:port} of every tunnel an authenticated client asked for, in order. */
	public final List<String> requestedTargets() {
		return List.copyOf(requestedTargets);
	}

	/** Tunnels opened to their target. */
	public final long tunnelsOpened() {
		return tunnels.get();
	}

	/** Handshakes refused for missing or wrong credentials. */
	public final long authenticationFailures() {
		return authenticationFailures.get();
	}

	/** Bytes relayed through tunnels, both directions. */
	public final long bytesRelayed() {
		return relayed.sum();
	}

	/**
	 * Connects to the target for an accepted handshake. On success {@code established}
	 * runs on the client's event loop (it answers the client and removes the handshake
	 * handlers), then bytes flow; on failure {@code failed} runs instead.
	 */
	protected final void openTunnel(Channel client, String host, int port, Runnable established,
			Consumer<Throwable> failed) {
		requestedTargets.add(host + ":" + port);
		ReadHolds.hold(client, ReadHolds.CONNECTING);
		Faults none = new Faults();
		new Bootstrap().group(client.eventLoop())
			.channel(NioSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.AUTO_READ, false)
			.handler(new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel server) {
					track(server);
					server.pipeline().addLast(new Relay(client, none, false, relayed));
				}
			})
			// test targets are IP literals or localhost: no lookup that could block
			.connect(new InetSocketAddress(host, port))
			.addListener((ChannelFuture connect) -> {
				Channel server = connect.channel();
				if (!connect.isSuccess() || !client.isActive()) {
					server.close();
					failed.accept(connect.cause());
					return;
				}
				tunnels.incrementAndGet();
				established.run();
				client.pipeline().addLast(new Relay(server, none, false, relayed));
				ReadHolds.release(client, ReadHolds.CONNECTING);
				ReadHolds.release(server, ReadHolds.CONNECTING);
			});
	}

}
