package io.connectionmanager.sample.dashboard;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.connectionmanager.core.state.ConnectionSnapshot;
import io.connectionmanager.autoconfigure.ConnectionRole;
import io.connectionmanager.autoconfigure.ConnectionRoles;
import io.connectionmanager.core.ManagedConnection;
import io.connectionmanager.event.ConnectionStateChangedEvent;
import io.connectionmanager.event.HeartbeatMissedEvent;
import io.connectionmanager.sample.feed.FeedStatus;
import io.connectionmanager.sample.feed.SimulatedFeed;
import io.connectionmanager.sample.market.PriceBoard;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * What the dashboard shows, pushed to browsers as server-sent events: every state
 * transition as it happens (from {@link ConnectionStateChangedEvent}) and a full picture
 * once a second (snapshots, heartbeat round trips, the price board, the feed). Events
 * arrive on the connections' event loops, so they are only recorded there; sending to
 * browsers happens on a thread of the dashboard's own.
 */
@Component
public class Dashboard implements SmartLifecycle {

	private static final int MAX_TRANSITIONS = 25;

	private static final int MAX_BACKOFFS = 30;

	private static final int MAX_ROUND_TRIPS = 120;

	private static final Duration SSE_TIMEOUT = Duration.ofMinutes(30);

	private final ObjectProvider<ManagedConnection> connections;

	private final ObjectProvider<SimulatedFeed> feed;

	private final PriceBoard board;

	private final ObjectProvider<ConnectionRoles> roles;

	private final Map<String, History> histories = new ConcurrentHashMap<>();

	private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();

	/**
	 * One per start: a stopped context (Spring's test contexts pause) may start again.
	 */
	private volatile ScheduledExecutorService sender = newSender();

	private volatile boolean running;

	public Dashboard(ObjectProvider<ManagedConnection> connections, ObjectProvider<SimulatedFeed> feed,
			PriceBoard board, ObjectProvider<ConnectionRoles> roles) {
		this.connections = connections;
		this.feed = feed;
		this.board = board;
		this.roles = roles;
	}

	// ---- Events from the connections (on their event loops: record, hand over, return)
	// ----

	@EventListener
	public void onStateChanged(ConnectionStateChangedEvent event) {
		Transition transition = new Transition(event.getInstant().toEpochMilli(), event.getPrevious().name(),
				event.getCurrent().name(), String.valueOf(event.getTrigger()),
				(event.getCause() != null) ? event.getCause().describe() : null, event.getAttempt(),
				(event.getRetryIn() != null) ? event.getRetryIn().toMillis() : null);
		history(event.getConnectionName()).add(transition);
		pushSoon();
	}

	@EventListener
	public void onHeartbeatMissed(HeartbeatMissedEvent event) {
		history(event.getConnectionName()).heartbeatMissed();
	}

	// ---- Browsers ----

	/** A new browser: gets the full picture at once, then every update. */
	public SseEmitter subscribe() {
		SseEmitter emitter = new SseEmitter(SSE_TIMEOUT.toMillis());
		emitter.onCompletion(() -> this.emitters.remove(emitter));
		emitter.onTimeout(() -> this.emitters.remove(emitter));
		emitter.onError((error) -> this.emitters.remove(emitter));
		this.emitters.add(emitter);
		try {
			this.sender.execute(() -> send(emitter, state()));
		}
		catch (RejectedExecutionException stopping) {
			emitter.complete();
		}
		return emitter;
	}

	/** Everything the page shows. */
	public State state() {
		List<ConnectionView> views = new ArrayList<>();
		this.connections.orderedStream()
			.sorted(Comparator.comparing(ManagedConnection::name))
			.forEach((connection) -> views.add(view(connection)));
		SimulatedFeed embedded = this.feed.getIfAvailable();
		FeedStatus feedStatus = (embedded != null) ? embedded.status() : null;
		return new State(System.currentTimeMillis(), views, this.board.snapshot(), feedStatus);
	}

	private ConnectionView view(ManagedConnection connection) {
		ConnectionSnapshot snapshot = connection.snapshot();
		History history = history(connection.name());
		ConnectionRoles cluster = this.roles.getIfAvailable();
		ConnectionRole role = (cluster != null) ? cluster.role(connection.name()) : null;
		return new ConnectionView(snapshot.name(), safeUrl(connection.settings().url()), snapshot.state().name(),
				millis(snapshot.since()), snapshot.attempt(), snapshot.totalAttempts(),
				(snapshot.lastFailure() != null) ? snapshot.lastFailure().describe() : null,
				(snapshot.lastFailure() != null) ? millis(snapshot.lastFailure().timestamp()) : null,
				snapshot.circuitBreakerState(),
				(snapshot.heartbeatRoundTrip() != null) ? snapshot.heartbeatRoundTrip().toNanos() / 1e6 : null,
				millis(snapshot.nextAttemptAt()), snapshot.messagesIn(), snapshot.messagesOut(), snapshot.buffered(),
				snapshot.resumePosition(), snapshot.duplicatesDropped(), snapshot.gaps(), history.heartbeatsMissed(),
				history.transitions(), history.backoffs(), history.roundTrips(), (role != null) ? role.role() : null,
				(role != null) ? role.holder() : null);
	}

	/**
	 * Scheme, host, port and path: never a query string or anything else that might carry
	 * a secret.
	 */
	private static String safeUrl(URI url) {
		return url.getScheme() + "://" + url.getHost() + ((url.getPort() != -1) ? ":" + url.getPort() : "")
				+ ((url.getPath() != null) ? url.getPath() : "");
	}

	private static Long millis(Instant instant) {
		return (instant != null) ? instant.toEpochMilli() : null;
	}

	private History history(String name) {
		return this.histories.computeIfAbsent(name, (key) -> new History());
	}

	// ---- Sending (dashboard thread) ----

	private void pushSoon() {
		if (!this.running) {
			return;
		}
		try {
			this.sender.execute(this::push);
		}
		catch (RejectedExecutionException stopping) {
			// shutting down
		}
	}

	private void sampleAndPush() {
		this.connections.orderedStream().forEach((connection) -> {
			Duration roundTrip = connection.snapshot().heartbeatRoundTrip();
			if (roundTrip != null) {
				history(connection.name()).roundTrip(roundTrip);
			}
		});
		push();
	}

	private void push() {
		if (this.emitters.isEmpty()) {
			return;
		}
		State state = state();
		for (SseEmitter emitter : this.emitters) {
			send(emitter, state);
		}
	}

	private void send(SseEmitter emitter, State state) {
		try {
			emitter.send(SseEmitter.event().name("state").reconnectTime(1000).data(state, MediaType.APPLICATION_JSON));
		}
		catch (IOException | IllegalStateException gone) {
			this.emitters.remove(emitter);
			emitter.completeWithError(gone);
		}
		catch (RuntimeException ex) {
			this.emitters.remove(emitter);
		}
	}

	// ---- Lifecycle: stops before the web server's graceful shutdown, which would
	// otherwise wait for the streams ----

	private static ScheduledExecutorService newSender() {
		return Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "dashboard-sse");
			thread.setDaemon(true);
			return thread;
		});
	}

	@Override
	public void start() {
		if (this.sender.isShutdown()) {
			this.sender = newSender();
		}
		this.running = true;
		this.sender.scheduleWithFixedDelay(this::sampleAndPushSafely, 1, 1, TimeUnit.SECONDS);
	}

	private void sampleAndPushSafely() {
		try {
			sampleAndPush();
		}
		catch (RuntimeException ex) {
			// a closing context; the next round will do
		}
	}

	@Override
	public void stop() {
		this.running = false;
		this.sender.shutdownNow();
		for (SseEmitter emitter : this.emitters) {
			emitter.complete();
		}
		this.emitters.clear();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	// ---- What is sent ----

	/**
	 * The dashboard's picture.
	 *
	 * @param at when it was taken (epoch millis)
	 * @param connections every managed connection
	 * @param board the price board
	 * @param feed the embedded feed, or {@code null}
	 */
	public record State(long at, List<ConnectionView> connections, PriceBoard.Snapshot board, FeedStatus feed) {

	}

	/**
	 * One connection (times in epoch millis).
	 */
	public record ConnectionView(String name, String url, String state, Long since, int attempt, long totalAttempts,
			String lastFailure, Long lastFailureAt, String circuitBreaker, Double heartbeatRoundTripMillis,
			Long nextAttemptAt, long messagesIn, long messagesOut, int buffered, String resumePosition,
			long duplicatesDropped, long gaps, long heartbeatsMissed, List<Transition> transitions,
			List<Backoff> backoffs, List<RoundTrip> roundTrips, String role, String holder) {

	}

	/** One transition (newest first in lists). */
	public record Transition(long at, String from, String to, String trigger, String cause, int attempt,
			Long retryInMillis) {

	}

	/** One reconnect delay. */
	public record Backoff(long at, int attempt, long delayMillis) {

	}

	/** One heartbeat round-trip sample. */
	public record RoundTrip(long at, double millis) {

	}

	/** Recent history of one connection. */
	private static final class History {

		private final ArrayDeque<Transition> transitions = new ArrayDeque<>();

		private final ArrayDeque<Backoff> backoffs = new ArrayDeque<>();

		private final ArrayDeque<RoundTrip> roundTrips = new ArrayDeque<>();

		private long heartbeatsMissed;

		synchronized void add(Transition transition) {
			this.transitions.addFirst(transition);
			if (this.transitions.size() > MAX_TRANSITIONS) {
				this.transitions.removeLast();
			}
			if (transition.retryInMillis() != null) {
				this.backoffs.addLast(new Backoff(transition.at(), transition.attempt(), transition.retryInMillis()));
				if (this.backoffs.size() > MAX_BACKOFFS) {
					this.backoffs.removeFirst();
				}
			}
		}

		synchronized void heartbeatMissed() {
			this.heartbeatsMissed++;
		}

		synchronized void roundTrip(Duration roundTrip) {
			this.roundTrips.addLast(new RoundTrip(System.currentTimeMillis(), roundTrip.toNanos() / 1e6));
			if (this.roundTrips.size() > MAX_ROUND_TRIPS) {
				this.roundTrips.removeFirst();
			}
		}

		synchronized List<Transition> transitions() {
			return List.copyOf(this.transitions);
		}

		synchronized List<Backoff> backoffs() {
			return List.copyOf(this.backoffs);
		}

		synchronized List<RoundTrip> roundTrips() {
			return List.copyOf(this.roundTrips);
		}

		synchronized long heartbeatsMissed() {
			return this.heartbeatsMissed;
		}

	}

}
