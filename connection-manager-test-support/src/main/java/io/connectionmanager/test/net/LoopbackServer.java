package io.connectionmanager.test.net;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.Future;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The lifecycle every loopback peer in this module shares, written once: a small private
 * event loop group, a listening socket on 127.0.0.1 that can be killed and bound again on
 * the same port, and a registry of open connections so that {@link #kill()},
 * {@link #freeze()} and {@link #close()} reach all of them. Subclasses only build their
 * pipeline in {@link #initConnection(SocketChannel)}.
 *
 * <p>
 * Callbacks run on the event loop: do not call the blocking lifecycle methods
 * ({@code kill}, {@code restart}, {@code close}) from inside one.
 */
public abstract class LoopbackServer implements AutoCloseable {

	private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);

	private final TrackingThreadFactory threads;

	private static final Duration REBIND_PATIENCE = Duration.ofSeconds(2);

	private final EventLoopGroup group;

	private final Set<Channel> connections = ConcurrentHashMap.newKeySet();

	private volatile Channel listener;

	private volatile boolean running;

	private volatile boolean frozen;

	private volatile boolean closed;

	private volatile int port;

	protected LoopbackServer(String threadNamePrefix, int threadCount) {
		this.threads = new TrackingThreadFactory(threadNamePrefix);
		this.group = new MultiThreadIoEventLoopGroup(threadCount, threads, NioIoHandler.newFactory());
	}

	/** Builds the pipeline of an accepted connection; runs on its event loop. */
	protected abstract void initConnection(SocketChannel channel);

	/**
	 * Binds a new server on a free port; closes it (its event loop) if that fails. For
	 * the subclasses' factories.
	 */
	protected static <S extends LoopbackServer> S started(S server) {
		try {
			server.bind(0);
		}
		catch (RuntimeException e) {
			server.close();
			throw e;
		}
		return server;
	}

	/**
	 * Binds 127.0.0.1 on {@code port} (0: a free port below the ephemeral range).
	 * Subclasses call it from their factory.
	 */
	protected final synchronized void bind(int port) {
		if (closed) {
			throw new IllegalStateException("closed");
		}
		ServerBootstrap bootstrap = new ServerBootstrap().group(group)
			.channel(NioServerSocketChannel.class)
			.option(ChannelOption.SO_REUSEADDR, true)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					track(channel);
					if (running) {
						initConnection(channel);
					}
					else {
						abort(channel); // accepted while kill() was running
					}
				}
			});
		listener = port != 0 ? bindOrFail(bootstrap, port) : bindBelowEphemeralRange(bootstrap);
		this.port = ((InetSocketAddress) listener.localAddress()).getPort();
		running = true;
	}

	/**
	 * Binds {@code port}, retrying for up to {@link #REBIND_PATIENCE}: right after
	 * {@link #kill()} the kernel can still hold the port for a moment (on a loaded
	 * machine we saw rare "address in use" on the very next bind although no socket was
	 * left by the time {@code ss} looked), as it can for any real server restarting.
	 */
	private static Channel bindOrFail(ServerBootstrap bootstrap, int port) {
		long deadline = System.nanoTime() + REBIND_PATIENCE.toNanos();
		while (true) {
			try {
				return bootstrap.bind(InetAddress.getLoopbackAddress(), port).sync().channel();
			}
			catch (Exception e) {
				if (port == 0 || System.nanoTime() - deadline >= 0) {
					throw new IllegalStateException("cannot bind 127.0.0.1:" + port, e);
				}
				java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
			}
		}
	}

	/**
	 * See {@link ServerPorts}: a few random tries below the ephemeral range, then
	 * whatever the OS gives.
	 */
	private static Channel bindBelowEphemeralRange(ServerBootstrap bootstrap) {
		for (int attempt = 0; attempt < 20; attempt++) {
			int candidate = ServerPorts.candidate();
			if (candidate == 0) {
				break;
			}
			try {
				return bootstrap.bind(InetAddress.getLoopbackAddress(), candidate).sync().channel();
			}
			catch (Exception e) {
				// taken: try another
			}
		}
		return bindOrFail(bootstrap, 0);
	}

	public final int port() {
		return port;
	}

	public final boolean isRunning() {
		return running;
	}

	public final boolean isFrozen() {
		return frozen;
	}

	/**
	 * Crashes the peer: the listening socket closes (new connects are refused) and every
	 * open connection is reset (SO_LINGER 0, so the other side gets an RST, not a FIN).
	 */
	public final synchronized void kill() {
		running = false;
		Channel current = listener;
		listener = null;
		if (current != null) {
			current.close().awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis());
		}
		resetConnections();
		// Two reasons the port may still be held when the close futures complete: a
		// connection accepted just
		// before the listener closed registers (and aborts itself) in a task still queued
		// on a child loop; and NIO
		// closes a selector-registered socket's file descriptor only at that selector's
		// next select(). The first
		// barrier round lets queued tasks run; the second forces one more select cycle on
		// every loop.
		awaitEveryLoop();
		resetConnections();
		awaitEveryLoop();
	}

	private void awaitEveryLoop() {
		List<io.netty.util.concurrent.Future<?>> barriers = new ArrayList<>();
		group.forEach(loop -> barriers.add(loop.submit(() -> {
		})));
		barriers.forEach(f -> f.awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis()));
	}

	/**
	 * Listens again on the same port after {@link #kill()}, as a restarted process
	 * (unfrozen).
	 */
	public final synchronized void restart() {
		if (running) {
			throw new IllegalStateException("still running; kill() first");
		}
		frozen = false;
		bind(port);
	}

	/**
	 * Models a stopped process or half-open peer: every connection stays open but nothing
	 * is read and nothing is sent (pings go unanswered). New connections complete at TCP
	 * level and are then ignored likewise.
	 */
	public final void freeze() {
		frozen = true;
		forEachGate(FreezeGate::freeze);
	}

	/** Resumes reading; what was parked while frozen is processed and sent, in order. */
	public final void unfreeze() {
		frozen = false;
		forEachGate(FreezeGate::thaw);
	}

	/** Stops the peer and releases its threads; returns once they have all terminated. */
	@Override
	public final synchronized void close() {
		if (closed) {
			return;
		}
		if (inEventLoop()) {
			throw new IllegalStateException("close() called from an event loop thread");
		}
		kill();
		closed = true;
		group.shutdownGracefully(0, SHUTDOWN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
			.awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis() * 2);
		threads.joinAll(SHUTDOWN_TIMEOUT);
	}

	/**
	 * Whether the caller runs on one of this peer's event loop threads (where blocking
	 * would deadlock).
	 */
	protected final boolean inEventLoop() {
		return threads.owns(Thread.currentThread());
	}

	/**
	 * Registers a connection (accepted, or opened by the peer itself as a proxy does) so
	 * that kill/freeze/close reach it, and puts the freeze gate first in its pipeline.
	 */
	protected final void track(Channel channel) {
		connections.add(channel);
		channel.closeFuture().addListener(f -> connections.remove(channel));
		channel.pipeline().addFirst(new FreezeGate(() -> frozen));
	}

	/**
	 * Open connections, both accepted and outgoing ones registered with {@link #track}.
	 */
	protected final List<Channel> trackedConnections() {
		return List.copyOf(connections);
	}

	/** Closes every tracked connection with a FIN; returns when they are closed. */
	protected final void closeConnections() {
		List<ChannelFuture> closing = new ArrayList<>();
		for (Channel channel : connections) {
			closing.add(channel.close());
		}
		closing.forEach(f -> f.awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis()));
	}

	/**
	 * Resets every tracked connection. SO_LINGER 0 is set on all of them before any is
	 * closed, so that closing one (which cascades to its partner in a proxy) cannot turn
	 * the other's RST into a FIN.
	 */
	protected final void resetConnections() {
		List<Channel> all = List.copyOf(connections);
		all.forEach(LoopbackServer::lingerZero);
		List<ChannelFuture> closing = new ArrayList<>();
		for (Channel channel : all) {
			closing.add(channel.close());
		}
		closing.forEach(f -> f.awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis()));
	}

	/** Closes a single connection with an RST instead of a FIN. */
	public static ChannelFuture abort(Channel channel) {
		lingerZero(channel);
		return channel.close();
	}

	private static void lingerZero(Channel channel) {
		try {
			channel.config().setOption(ChannelOption.SO_LINGER, 0);
		}
		catch (RuntimeException alreadyClosed) {
			// nothing left to reset
		}
	}

	/**
	 * Runs an action on each connection's gate, on that connection's event loop, and
	 * waits for it unless the caller is itself one of our event loop threads (waiting
	 * there could deadlock).
	 */
	private void forEachGate(Consumer<FreezeGate> action) {
		boolean mayWait = !inEventLoop();
		List<Future<?>> pending = new ArrayList<>();
		for (Channel channel : connections) {
			Runnable task = () -> {
				FreezeGate gate = channel.pipeline().get(FreezeGate.class);
				if (gate != null) {
					action.accept(gate);
				}
			};
			if (channel.eventLoop().inEventLoop()) {
				task.run();
			}
			else {
				pending.add(channel.eventLoop().submit(task));
			}
		}
		if (mayWait) {
			pending.forEach(f -> f.awaitUninterruptibly(SHUTDOWN_TIMEOUT.toMillis()));
		}
	}

}
