package io.connectionmanager.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.connectionmanager.autoconfigure.ConnectionManagerLifecycle;
import io.connectionmanager.autoconfigure.ConnectionRole;
import io.connectionmanager.autoconfigure.ConnectionRoles;
import io.connectionmanager.cluster.membership.Membership;
import io.connectionmanager.core.ManagedConnection;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.integration.support.locks.DistributedLock;
import org.springframework.integration.support.locks.LockRegistry;
import org.springframework.integration.support.locks.RenewableLockRegistry;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * Runs each exclusive connection on the one replica that holds its role in a Spring
 * Integration {@link LockRegistry} ({@code RedisLockRegistry}, {@code JdbcLockRegistry}).
 * <p>
 * <b>Threads do not grow with connections.</b> Spring Integration's
 * {@code LockRegistryLeaderInitiator} keeps a thread busy per role; instead, every role
 * of this replica is driven from one lock thread: every {@link LeaseTimings#tick() tick}
 * it renews the roles it holds
 * ({@link RenewableLockRegistry#renewLock(Object, Duration)}) and tries the others
 * ({@link DistributedLock#tryLock(Duration, Duration)} with no wait), one lock-store
 * round trip per role per tick. A registry's locks belong to the thread that took them,
 * which is one more reason to keep every lock call on that one thread. A second thread,
 * which never does I/O, fences and connects: a holder with no confirmed renewal for
 * {@link LeaseTimings#fenceAfter() lease/2} closes its connection (1000) even while the
 * lock thread is stuck on an unreachable store, and a new holder connects after the
 * {@link LeaseTimings#takeoverDelay() takeover delay}. Two threads in all, for any number
 * of exclusive connections; the cost is
 * {@link LeaseTimings#operationsPerSecondPerThousand()} lock-store operations per second
 * per 1,000 exclusive connections, per replica.
 * <p>
 * <b>Lost, handed over, stopped.</b> A renewal the store refuses (another replica holds
 * the role, or the store lost it) closes the connection with 1000 and releases the lock.
 * {@link #handOver} and a stopping context close it like a shutdown (1001, the handler
 * drained, the resume position saved) before the lock is released; after a hand-over this
 * replica does not try the role again for one lease, so another one takes it.
 * <p>
 * <b>Balance.</b> Connections with {@code cluster.balance} are spread evenly: each tick
 * this replica refreshes its record in the {@link Membership} (a key or row with a TTL of
 * one lease) and counts the live replicas; it takes no more than its share,
 * {@code ceil(balanced connections / live replicas)}, and hands over what it holds beyond
 * it (like {@link #handOver}). One membership write and one count per tick per replica,
 * whatever the number of connections.
 */
public class ExclusiveConnections implements ConnectionRoles, SmartLifecycle {

	/** Starts after the connections' lifecycle, stops before it. */
	public static final int PHASE = ConnectionManagerLifecycle.PHASE + 1;

	private static final Log logger = LogFactory.getLog(ExclusiveConnections.class);

	private static final Duration STOP_MARGIN = Duration.ofSeconds(1);

	private final LockStore store;

	private final Map<String, Leadership> leaderships = new LinkedHashMap<>();

	private final LeaseTimings timings;

	private final String replicaId;

	private final long tickNanos;

	private volatile boolean running;

	private final Balance balance;

	private ScheduledExecutorService lockThread;

	private ScheduledExecutorService watchThread;

	/**
	 * @param registry the lock registry; it must be a {@link RenewableLockRegistry} of
	 * {@link DistributedLock}s when there is any connection
	 * @param roles the exclusive connections and their roles
	 * @param timings the lease arithmetic
	 * @param replicaId this replica's name
	 */
	public ExclusiveConnections(LockRegistry<?> registry, Map<ManagedConnection, String> roles, LeaseTimings timings,
			String replicaId) {
		this(registry, roles, timings, replicaId, null, Set.of());
	}

	/**
	 * @param registry the lock registry; it must be a {@link RenewableLockRegistry} of
	 * {@link DistributedLock}s when there is any connection
	 * @param roles the exclusive connections and their roles
	 * @param timings the lease arithmetic
	 * @param replicaId this replica's name
	 * @param membership the live replicas, required when {@code balanced} is not empty
	 * @param balanced the connections spread evenly over the replicas
	 */
	public ExclusiveConnections(LockRegistry<?> registry, Map<ManagedConnection, String> roles, LeaseTimings timings,
			String replicaId, Membership membership, Set<String> balanced) {
		this.store = new LockStore(registry, timings);
		this.balance = new Balance(membership, balanced, replicaId, this.store);
		this.timings = timings;
		this.replicaId = replicaId;
		this.tickNanos = timings.tick().toNanos();
		roles.forEach((connection, role) -> this.leaderships.put(connection.name(), new Leadership(connection, role)));
	}

	/** The exclusive connections' names, in order. */
	public Collection<String> connections() {
		return this.leaderships.keySet();
	}

	public LeaseTimings timings() {
		return this.timings;
	}

	public String replicaId() {
		return this.replicaId;
	}

	@Override
	public ConnectionRole role(String connection) {
		Leadership leadership = this.leaderships.get(connection);
		if (leadership == null) {
			return null;
		}
		boolean reachable = this.store.isReachable();
		return leadership.isLeader()
				? new ConnectionRole(ConnectionRole.LEADER, leadership.role(), this.replicaId, reachable)
				: new ConnectionRole(ConnectionRole.STANDBY, leadership.role(), null, reachable);
	}

	@Override
	public void handOver(String connection) {
		Leadership leadership = this.leaderships.get(connection);
		if (leadership == null) {
			throw new IllegalArgumentException("\"" + connection + "\" is not an exclusive connection");
		}
		leadership.giveUp("handed over on request", Leadership.Reason.HANDED_OVER, leadership.connection()::stopAsync,
				System.nanoTime() + this.timings.lease().toNanos());
	}

	@Override
	public void start() {
		this.running = true;
		if (!this.leaderships.isEmpty()) {
			this.lockThread = executor("connection-manager-cluster-lock-");
			this.watchThread = executor("connection-manager-cluster-watch-");
			this.lockThread.scheduleWithFixedDelay(this::tick, 0, this.tickNanos, TimeUnit.NANOSECONDS);
			long watch = this.timings.watch().toNanos();
			this.watchThread.scheduleWithFixedDelay(this::watch, watch, watch, TimeUnit.NANOSECONDS);
		}
	}

	private static ScheduledExecutorService executor(String prefix) {
		CustomizableThreadFactory threads = new CustomizableThreadFactory(prefix);
		threads.setDaemon(true);
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, threads);
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

	/** On the lock thread: one step for every role, then the balance. */
	private void tick() {
		boolean balancing = this.balance.isActive() && this.balance.refresh(this.timings.lease());
		for (Leadership leadership : this.leaderships.values()) {
			try {
				step(leadership);
			}
			catch (RuntimeException ex) {
				logger.error("Leadership of connection '" + leadership.name() + "' failed a step", ex);
			}
		}
		if (balancing) {
			handOverSurplus();
		}
	}

	/** Hands over the balanced connections held beyond this replica's share. */
	private void handOverSurplus() {
		List<Leadership> surplus = this.balance.surplus(this.leaderships.values());
		if (surplus.isEmpty()) {
			return;
		}
		String why = "balancing: " + this.balance.describe();
		long retryAfter = System.nanoTime() + this.timings.lease().toNanos();
		for (Leadership leadership : surplus) {
			leadership.giveUp(why, Leadership.Reason.HANDED_OVER, leadership.connection()::stopAsync, retryAfter);
		}
	}

	private void step(Leadership leadership) {
		long now = System.nanoTime();
		switch (leadership.next(now)) {
			case TRY -> {
				// Never take a role while stopping: nothing would release it before its
				// TTL.
				if (this.running && (!this.balance.isBalanced(leadership.name())
						|| this.balance.mayTakeMore(this.leaderships.values()))) {
					tryAcquire(leadership, now);
				}
			}
			case RENEW -> renew(leadership, now);
			case RELEASE -> release(leadership);
			case NONE -> {
			}
		}
	}

	private void tryAcquire(Leadership leadership, long sentAt) {
		boolean acquired = Boolean.TRUE.equals(this.store.tryLock(leadership.role()));
		if (acquired) {
			long epoch = leadership.granted(sentAt);
			logger.info("Connection '" + leadership.name() + "': role '" + leadership.role() + "' granted to "
					+ this.replicaId + "; connecting in " + this.timings.takeoverDelay());
			try {
				this.watchThread.schedule(() -> leadership.connectIfStillHeld(epoch),
						this.timings.takeoverDelay().toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				// stopping: the role is released by stop()
			}
		}
	}

	private void renew(Leadership leadership, long sentAt) {
		long epoch = leadership.epoch();
		switch (this.store.renew(leadership.role())) {
			case RENEWED -> leadership.renewed(sentAt, epoch);
			case LOST -> leadership.giveUp("the lock store no longer holds it for this replica",
					leadership.connection()::disconnect, sentAt);
			case UNREACHABLE -> {
			}
		}
	}

	private void release(Leadership leadership) {
		try {
			this.store.release(leadership.role());
		}
		finally {
			leadership.released();
		}
	}

	/** On the watch thread: fence holders whose renewals are not confirmed. */
	private void watch() {
		long now = System.nanoTime();
		long fenceAfter = this.timings.fenceAfter().toNanos();
		for (Leadership leadership : this.leaderships.values()) {
			leadership.fenceIfLapsed(now, fenceAfter);
		}
	}

	/**
	 * Closes every held connection gracefully (1001, handler drained, position saved),
	 * then releases their roles so that another replica takes over at once.
	 */
	@Override
	public void stop() {
		this.running = false;
		if (this.lockThread == null) {
			return;
		}
		this.watchThread.shutdownNow();
		List<CompletableFuture<?>> closing = new ArrayList<>();
		Duration bound = Duration.ZERO;
		for (Leadership leadership : this.leaderships.values()) {
			CompletableFuture<Void> closed = new CompletableFuture<>();
			if (leadership.giveUp("stopping", Leadership.Reason.STOPPING,
					() -> leadership.connection().stopAsync().whenComplete((done, error) -> {
						closed.complete(null);
					}), System.nanoTime())) {
				closing.add(closed);
				Duration timeout = leadership.connection().settings().shutdownTimeout();
				bound = (timeout.compareTo(bound) > 0) ? timeout : bound;
			}
		}
		await(CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)), bound.plus(STOP_MARGIN));
		// Released on the lock thread: a registry's locks belong to the thread that took
		// them.
		ScheduledExecutorService lock = this.lockThread;
		CompletableFuture<Void> released = CompletableFuture.runAsync(this::releaseClosed, lock);
		lock.shutdown();
		await(released, this.timings.lease());
		lock.shutdownNow();
		this.lockThread = null;
		this.watchThread = null;
	}

	private void releaseClosed() {
		this.balance.leave();
		long now = System.nanoTime();
		for (Leadership leadership : this.leaderships.values()) {
			if (leadership.next(now) == Leadership.Action.RELEASE) {
				release(leadership);
			}
		}
	}

	private static void await(CompletableFuture<?> future, Duration bound) {
		try {
			future.get(bound.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			logger.warn("Exclusive connections still closing after " + bound);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
