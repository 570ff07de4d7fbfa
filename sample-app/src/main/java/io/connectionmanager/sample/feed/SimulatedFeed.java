package io.connectionmanager.sample.feed;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A simulated exchange: a WebSocket server on 127.0.0.1 that streams sequenced ticks and
 * misbehaves on command. Plain Java and Netty (no Spring), so that tests can also run one
 * on its own.
 * <p>
 * Protocol on {@link Options#path()} (JSON text frames):
 * <ul>
 * <li>client {@code {"type":"auth","token":"..."}} &rarr; {@code {"type":"auth-ok"}} or
 * {@code {"type":"auth-failed","reason":"..."}}</li>
 * <li>client {@code {"type":"subscribe","from":N}} (after auth-ok) &rarr;
 * {@code {"type":"subscribed",...}}, then every tick after {@code N} still in the replay
 * buffer, then live ticks; without {@code from}: live ticks only</li>
 * <li>server {@code {"type":"tick","seq":123,"symbol":"AAPL","price":189.23}}</li>
 * <li>client {@code {"type":"ping","id":7}} &rarr; {@code {"type":"pong","id":7}};
 * WebSocket ping frames are answered with pong frames</li>
 * </ul>
 * Any upgrade on {@code /admin} is answered 401 (a "wrong credentials" endpoint), any
 * other path 404.
 * <p>
 * Threading: one event-loop thread owns every connection, the tick generator, the replay
 * buffer and the misbehaviour flags, so none of them needs a lock. Public methods hop
 * onto that thread.
 */
public final class SimulatedFeed implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(SimulatedFeed.class);

	/** The path whose upgrade is always refused with 401. */
	public static final String UNAUTHORIZED_PATH = "/admin";

	private static final String[] SYMBOLS = { "AAPL", "MSFT", "NVDA", "AMZN", "GOOG", "TSLA" };

	private static final double[] START_PRICES = { 189.50, 415.20, 121.80, 178.30, 165.40, 248.90 };

	private static final int SERVICE_RESTART = 1012;

	private static final int MAX_CLOSE_RECORDS = 20;

	/**
	 * How the feed runs.
	 *
	 * @param port the port on 127.0.0.1 (0 picks a free one)
	 * @param path the streaming path, e.g. {@code /stream}
	 * @param token the token clients must send
	 * @param tickInterval time between ticks (one symbol per tick)
	 * @param replayBufferSize ticks kept for resuming subscribers
	 * @param restartDelay how long {@link #restart()} stays unbound
	 */
	public record Options(int port, String path, String token, Duration tickInterval, int replayBufferSize,
			Duration restartDelay) {

		public Options {
			Objects.requireNonNull(path, "path");
			Objects.requireNonNull(token, "token");
			if (!path.startsWith("/")) {
				throw new IllegalArgumentException("feed path must start with '/': " + path);
			}
			if (tickInterval.isNegative() || tickInterval.isZero()) {
				throw new IllegalArgumentException("feed tick interval must be positive: " + tickInterval);
			}
			if (replayBufferSize < 1) {
				throw new IllegalArgumentException("feed replay buffer must hold at least one tick");
			}
		}

		public static Options defaults() {
			return new Options(0, "/stream", "demo-token", Duration.ofMillis(70), 10_000, Duration.ofSeconds(3));
		}

		public Options withPort(int port) {
			return new Options(port, this.path, this.token, this.tickInterval, this.replayBufferSize,
					this.restartDelay);
		}

	}

	private final Options options;

	private final EventLoopGroup group;

	private final EventLoop loop;

	private final RandomGenerator random;

	// ---- Confined to the loop ----

	private final Map<Channel, FeedSession> sessions = new LinkedHashMap<>();

	private final List<Channel> accepted = new ArrayList<>();

	private final String[] replay;

	private final double[] prices = START_PRICES.clone();

	private final ArrayDeque<FeedStatus.ClientClose> closes = new ArrayDeque<>();

	private long sequence;

	private Channel listener;

	private int port;

	private boolean rejectingUpgrades;

	private Instant rejectingUpgradesUntil;

	private ScheduledFuture<?> acceptAgain;

	private boolean rejectingAuthentication;

	private Instant frozenUntil;

	private ScheduledFuture<?> thaw;

	private Instant restartingAt;

	private ScheduledFuture<?> rebind;

	private long upgradesAccepted;

	private long upgradesRejected;

	private ScheduledFuture<?> ticker;

	private volatile boolean closed;

	private SimulatedFeed(Options options, RandomGenerator random) {
		this.options = options;
		this.random = random;
		this.replay = new String[options.replayBufferSize()];
		this.group = new MultiThreadIoEventLoopGroup(1, daemonThreads("sample-feed"), NioIoHandler.newFactory());
		this.loop = this.group.next();
	}

	/** Binds 127.0.0.1 and starts ticking. */
	public static SimulatedFeed start(Options options) {
		return start(options, RandomGenerator.getDefault());
	}

	public static SimulatedFeed start(Options options, RandomGenerator random) {
		SimulatedFeed feed = new SimulatedFeed(options, random);
		try {
			Channel bound = feed.bindNow(options.port());
			feed.call(() -> {
				feed.listener = bound;
				feed.port = ((InetSocketAddress) bound.localAddress()).getPort();
				return null;
			});
			feed.ticker = feed.loop.scheduleAtFixedRate(feed::tick, options.tickInterval().toNanos(),
					options.tickInterval().toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RuntimeException ex) {
			feed.close();
			throw ex;
		}
		logger.info("Simulated exchange feed listening on " + feed.url());
		return feed;
	}

	// ---- Facts ----

	public int port() {
		return call(() -> this.port);
	}

	/** {@code ws://127.0.0.1:PORT/stream}. */
	public URI url() {
		return URI.create("ws://127.0.0.1:" + port() + this.options.path());
	}

	public Options options() {
		return this.options;
	}

	public long latestSequence() {
		return call(() -> this.sequence);
	}

	public FeedStatus status() {
		return call(() -> {
			int subscribed = 0;
			int frozen = 0;
			for (FeedSession session : this.sessions.values()) {
				subscribed += session.subscribed ? 1 : 0;
				frozen += session.frozen ? 1 : 0;
			}
			return new FeedStatus("ws://127.0.0.1:" + this.port + this.options.path(), this.listener != null,
					this.sequence, oldestReplayable(), this.sessions.size(), subscribed, frozen, this.rejectingUpgrades,
					this.rejectingUpgradesUntil, this.rejectingAuthentication, this.frozenUntil, this.restartingAt,
					this.upgradesAccepted, this.upgradesRejected, List.copyOf(this.closes));
		});
	}

	/** The latest closes seen from clients, newest first. */
	public List<FeedStatus.ClientClose> recentCloses() {
		return call(() -> List.copyOf(this.closes));
	}

	// ---- Misbehaviour ----

	/** Resets every connection (TCP RST, no close frame). The feed keeps listening. */
	public void drop() {
		call(() -> {
			resetAll();
			return null;
		});
	}

	/**
	 * Freezes the open connections: they stay open but the feed neither reads from nor
	 * writes to them (no ticks, no pongs), like a hung process or a half-open TCP
	 * connection. Only a heartbeat notices. New connections are served normally. When
	 * {@code duration} elapses, or on {@link #restore()}, the frozen connections are
	 * reset.
	 * @param duration how long, or {@code null} until restored
	 */
	public void freeze(Duration duration) {
		call(() -> {
			for (FeedSession session : this.sessions.values()) {
				session.frozen = true;
				session.channel.config().setAutoRead(false);
			}
			cancel(this.thaw);
			this.thaw = null;
			this.frozenUntil = null;
			if (duration != null) {
				this.frozenUntil = Instant.now().plus(duration);
				this.thaw = this.loop.schedule(this::releaseFrozen, duration.toNanos(), TimeUnit.NANOSECONDS);
			}
			return null;
		});
	}

	/**
	 * Answers every upgrade with {@code 503 Service Unavailable} (with a
	 * {@code Retry-After}).
	 * @param duration how long, or {@code null} until restored
	 * @param dropOpen whether to reset the open connections too, so that clients must
	 * reconnect into the outage
	 */
	public void rejectUpgrades(Duration duration, boolean dropOpen) {
		call(() -> {
			this.rejectingUpgrades = true;
			cancel(this.acceptAgain);
			this.acceptAgain = null;
			this.rejectingUpgradesUntil = null;
			if (duration != null) {
				this.rejectingUpgradesUntil = Instant.now().plus(duration);
				this.acceptAgain = this.loop.schedule(this::acceptUpgrades, duration.toNanos(), TimeUnit.NANOSECONDS);
			}
			if (dropOpen) {
				resetAll();
			}
			return null;
		});
	}

	/**
	 * Answers every authentication with {@code auth-failed} until {@link #restore()}.
	 * @param dropOpen whether to reset the open connections too, so that clients must
	 * authenticate again
	 */
	public void rejectAuthentication(boolean dropOpen) {
		call(() -> {
			this.rejectingAuthentication = true;
			if (dropOpen) {
				resetAll();
			}
			return null;
		});
	}

	/**
	 * Restarts: every connection gets a close frame {@code 1012 Service Restart}, the
	 * listening socket closes (new connects are refused), and the feed binds the same
	 * port again after {@link Options#restartDelay()}. Ticks keep being generated
	 * meanwhile, so resuming clients get the ones they missed.
	 */
	public void restart() {
		call(() -> {
			for (FeedSession session : List.copyOf(this.sessions.values())) {
				session.closedByFeed = "closed by the feed: " + SERVICE_RESTART + " service restart";
				session.channel.writeAndFlush(new CloseWebSocketFrame(SERVICE_RESTART, "service restart"))
					.addListener(ChannelFutureListener.CLOSE);
			}
			for (Channel channel : List.copyOf(this.accepted)) {
				if (!this.sessions.containsKey(channel)) {
					channel.close();
				}
			}
			if (this.listener != null) {
				this.listener.close();
				this.listener = null;
			}
			cancel(this.rebind);
			Duration delay = this.options.restartDelay();
			this.restartingAt = Instant.now().plus(delay);
			this.rebind = this.loop.schedule(this::rebind, delay.toNanos(), TimeUnit.NANOSECONDS);
			return null;
		});
	}

	/**
	 * Ends every misbehaviour: accepts upgrades and authentication, resets frozen
	 * connections, binds again.
	 */
	public void restore() {
		call(() -> {
			acceptUpgrades();
			this.rejectingAuthentication = false;
			releaseFrozen();
			if (this.listener == null) {
				rebind();
			}
			return null;
		});
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		if (!this.loop.inEventLoop()) {
			try {
				this.loop.submit(() -> {
					cancel(this.ticker);
					if (this.listener != null) {
						this.listener.close();
					}
					this.accepted.forEach(Channel::close);
				}).await(5, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (RuntimeException ex) {
				// the loop is already gone
			}
		}
		this.group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
	}

	// ---- The loop ----

	/** The first bind, from the starting thread (never the loop: it waits). */
	private Channel bindNow(int requestedPort) {
		try {
			return newBootstrap().bind(InetAddress.getLoopbackAddress(), requestedPort).sync().channel();
		}
		catch (Exception ex) {
			throw new IllegalStateException("The simulated feed cannot listen on 127.0.0.1:" + requestedPort
					+ " (set feed.port to a free port, or 0 for any): " + ex.getMessage(), ex);
		}
	}

	private void rebind() {
		cancel(this.rebind);
		this.rebind = null;
		this.restartingAt = null;
		if (this.listener != null || this.closed) {
			return;
		}
		newBootstrap().bind(InetAddress.getLoopbackAddress(), this.port).addListener((ChannelFutureListener) (f) -> {
			if (f.isSuccess()) {
				this.listener = f.channel();
				logger.info("Simulated feed listening again on port " + this.port);
			}
			else if (!this.closed) {
				logger.warn("Simulated feed could not bind port " + this.port + " again (" + f.cause()
						+ "); retrying in 1 s");
				this.restartingAt = Instant.now().plusSeconds(1);
				this.rebind = this.loop.schedule(this::rebind, 1, TimeUnit.SECONDS);
			}
		});
	}

	private ServerBootstrap newBootstrap() {
		return new ServerBootstrap().group(this.group)
			.channel(NioServerSocketChannel.class)
			.option(ChannelOption.SO_REUSEADDR, true)
			.childOption(ChannelOption.TCP_NODELAY, true)
			.childHandler(new ChannelInitializer<SocketChannel>() {
				@Override
				protected void initChannel(SocketChannel channel) {
					SimulatedFeed.this.accepted.add(channel);
					channel.closeFuture().addListener((f) -> SimulatedFeed.this.accepted.remove(channel));
					channel.pipeline()
						.addLast(new HttpServerCodec(), new HttpObjectAggregator(64 * 1024),
								new FeedUpgradeHandler(SimulatedFeed.this));
				}
			});
	}

	private void tick() {
		int i = this.random.nextInt(SYMBOLS.length);
		double move = this.prices[i] * 0.0015 * (this.random.nextDouble() * 2 - 1);
		this.prices[i] = Math.max(1.0, Math.round((this.prices[i] + move) * 100) / 100.0);
		long seq = ++this.sequence;
		String json = "{\"type\":\"tick\",\"seq\":" + seq + ",\"symbol\":\"" + SYMBOLS[i] + "\",\"price\":"
				+ String.format(java.util.Locale.ROOT, "%.2f", this.prices[i]) + "}";
		this.replay[(int) (seq % this.replay.length)] = json;
		for (FeedSession session : this.sessions.values()) {
			if (session.subscribed && !session.frozen) {
				session.channel.writeAndFlush(new TextWebSocketFrame(json));
			}
		}
	}

	private long oldestReplayable() {
		return Math.max(1, this.sequence - this.replay.length + 1);
	}

	private void acceptUpgrades() {
		this.rejectingUpgrades = false;
		this.rejectingUpgradesUntil = null;
		cancel(this.acceptAgain);
		this.acceptAgain = null;
	}

	private void releaseFrozen() {
		cancel(this.thaw);
		this.thaw = null;
		this.frozenUntil = null;
		for (FeedSession session : List.copyOf(this.sessions.values())) {
			if (session.frozen) {
				reset(session.channel);
			}
		}
	}

	private void resetAll() {
		for (Channel channel : List.copyOf(this.accepted)) {
			reset(channel);
		}
	}

	private void reset(Channel channel) {
		FeedSession session = this.sessions.get(channel);
		if (session != null) {
			session.closedByFeed = session.frozen ? "reset by the feed after a freeze" : "reset by the feed";
		}
		try {
			channel.config().setOption(ChannelOption.SO_LINGER, 0);
		}
		catch (RuntimeException alreadyClosed) {
			// nothing to reset
		}
		channel.close();
	}

	private static void cancel(Future<?> future) {
		if (future != null) {
			future.cancel(false);
		}
	}

	// ---- Called by the pipeline handlers (on the loop) ----

	boolean isRejectingUpgrades() {
		return this.rejectingUpgrades;
	}

	/**
	 * What the 503 tells clients to wait: until a bounded outage ends, else 1 s (the
	 * connection adds its own jittered delay on top).
	 */
	long retryAfterSeconds() {
		if (this.rejectingUpgradesUntil == null) {
			return 1;
		}
		return Math.max(1, Duration.between(Instant.now(), this.rejectingUpgradesUntil).toSeconds());
	}

	String streamPath() {
		return this.options.path();
	}

	void upgradeRejected() {
		this.upgradesRejected++;
	}

	void opened(FeedSession session) {
		this.upgradesAccepted++;
		this.sessions.put(session.channel, session);
	}

	void closed(FeedSession session, int code, String reason) {
		if (this.sessions.remove(session.channel) != null) {
			String why = (session.closedByFeed != null && code == 1006) ? session.closedByFeed : reason;
			this.closes.addFirst(new FeedStatus.ClientClose(session.path, code, why, Instant.now()));
			if (logger.isInfoEnabled()) {
				logger.info("Simulated feed: connection on " + session.path + " ended: " + code
						+ ((why != null && !why.isEmpty()) ? " (" + why + ")" : ""));
			}
			while (this.closes.size() > MAX_CLOSE_RECORDS) {
				this.closes.removeLast();
			}
		}
	}

	/** The answer to an auth request. */
	String authenticate(FeedSession session, String token) {
		if (this.rejectingAuthentication) {
			return "{\"type\":\"auth-failed\",\"reason\":\"authentication is being rejected (feed misbehaviour)\"}";
		}
		if (!this.options.token().equals(token)) {
			return "{\"type\":\"auth-failed\",\"reason\":\"invalid token\"}";
		}
		session.authenticated = true;
		return "{\"type\":\"auth-ok\"}";
	}

	/**
	 * Subscribes, replaying what the session missed after {@code from} (if given) before
	 * any live tick.
	 */
	void subscribe(FeedSession session, Long from) {
		long first = (from != null) ? Math.max(from + 1, oldestReplayable()) : this.sequence + 1;
		long replayed = Math.max(0, this.sequence - first + 1);
		session.channel.write(new TextWebSocketFrame("{\"type\":\"subscribed\",\"from\":" + from + ",\"replayed\":"
				+ replayed + ",\"latest\":" + this.sequence + "}"));
		for (long seq = first; seq <= this.sequence; seq++) {
			session.channel.write(new TextWebSocketFrame(this.replay[(int) (seq % this.replay.length)]));
		}
		session.channel.flush();
		session.subscribed = true;
	}

	// ---- Plumbing ----

	private <T> T call(Callable<T> action) {
		if (this.loop.inEventLoop()) {
			try {
				return action.call();
			}
			catch (RuntimeException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}
		Future<T> result = this.loop.submit(action);
		if (!result.awaitUninterruptibly(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("The simulated feed did not answer within 10 s");
		}
		if (!result.isSuccess()) {
			Throwable cause = result.cause();
			throw (cause instanceof RuntimeException runtime) ? runtime : new IllegalStateException(cause);
		}
		return result.getNow();
	}

	private static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
