package io.connectionmanager.test.proxy;

import io.connectionmanager.test.net.LoopbackServer;
import io.connectionmanager.test.net.ReadHolds;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * An in-JVM TCP proxy on 127.0.0.1 placed between a client and its server to break the
 * network in controlled ways: cut or reset connections, swallow traffic while keeping
 * sockets open, add latency, limit bandwidth, corrupt bytes, refuse connections. Faults
 * apply immediately to open connections and to new ones until {@link #heal()}. Also
 * inherits kill/restart/freeze.
 */
public final class FaultInjectingProxy extends LoopbackServer {

	private final InetSocketAddress target;

	private final Faults faults = new Faults();

	private final AtomicLong accepted = new AtomicLong();

	private final LongAdder forwarded = new LongAdder();

	private final Set<Channel> clientSides = ConcurrentHashMap.newKeySet();

	private FaultInjectingProxy(InetSocketAddress target) {
		super("cm-test-proxy", 2);
		this.target = target;
	}

	/** Proxies an ephemeral local port to {@code 127.0.0.1:targetPort}. */
	public static FaultInjectingProxy start(int targetPort) {
		return start(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
	}

	public static FaultInjectingProxy start(InetSocketAddress target) {
		return started(new FaultInjectingProxy(target));
	}

	/** Closes both sides of every open connection gracefully (FIN). */
	public void cut() {
		closeConnections();
	}

	/** Resets both sides of every open connection (RST). */
	public void reset() {
		resetConnections();
	}

	/**
	 * Stops forwarding in both directions; bytes are read and discarded, sockets stay
	 * open.
	 */
	public void blackhole() {
		faults.blackhole = true;
	}

	/** Adds this latency to every chunk, in both directions; order is preserved. */
	public void delay(Duration delay) {
		faults.delay(delay);
	}

	/** Limits each direction of each connection to about this many bytes per second. */
	public void throttle(long bytesPerSecond) {
		faults.throttle(bytesPerSecond);
	}

	/** Flips the next {@code n} bytes flowing from the server to the client. */
	public void corruptNextBytes(int n) {
		faults.corruptNext(n);
	}

	/**
	 * Flips each server-to-client byte with this probability, reproducibly for a given
	 * seed.
	 */
	public void corrupt(double probability, long seed) {
		faults.corrupt(probability, seed);
	}

	/** While on, new connections are accepted and immediately reset. */
	public void refuseNewConnections(boolean refuse) {
		faults.refuseNewConnections = refuse;
	}

	/** Undoes blackhole, delay, throttle, corruption and refusal. */
	public void heal() {
		faults.heal();
	}

	/** Connections accepted since start, refused ones included. */
	public long connectionCount() {
		return accepted.get();
	}

	/** Client connections currently open. */
	public int openConnections() {
		return (int) clientSides.stream().filter(Channel::isActive).count();
	}

	/**
	 * Bytes handed on to the other side, both directions together (swallowed bytes
	 * excluded).
	 */
	public long bytesForwarded() {
		return forwarded.sum();
	}

	@Override
	protected void initConnection(SocketChannel client) {
		accepted.incrementAndGet();
		if (faults.refuseNewConnections) {
			abort(client);
			return;
		}
		clientSides.add(client);
		client.closeFuture().addListener(f -> clientSides.remove(client));
		ReadHolds.hold(client, ReadHolds.CONNECTING);
		new Bootstrap().group(client.eventLoop())
			.channel(NioSocketChannel.class)
			.option(ChannelOption.TCP_NODELAY, true)
			.option(ChannelOption.AUTO_READ, false)
			.handler(new ChannelInitializer<Channel>() {
				@Override
				protected void initChannel(Channel server) {
					track(server);
					server.pipeline().addLast(new Relay(client, faults, true, forwarded));
				}
			})
			.connect(target)
			.addListener((ChannelFuture connect) -> connected(client, connect));
	}

	/**
	 * Starts forwarding once the upstream leg is up; an unreachable target resets the
	 * client.
	 */
	private void connected(Channel client, ChannelFuture connect) {
		Channel server = connect.channel();
		if (!connect.isSuccess() || !client.isActive()) {
			abort(client);
			server.close();
			return;
		}
		client.pipeline().addLast(new Relay(server, faults, false, forwarded));
		ReadHolds.release(client, ReadHolds.CONNECTING);
		ReadHolds.release(server, ReadHolds.CONNECTING);
	}

}
