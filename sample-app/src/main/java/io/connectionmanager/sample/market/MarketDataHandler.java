package io.connectionmanager.sample.market;

import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.connectionmanager.core.handler.ApplicationHeartbeat;
import io.connectionmanager.core.handler.AuthenticationContext;
import io.connectionmanager.core.handler.ConnectionHandler;
import io.connectionmanager.core.handler.ConnectionSession;
import io.connectionmanager.core.resume.StreamPosition;
import io.connectionmanager.core.transport.Message;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The protocol of the {@code market-data} connection (the connection itself - URL,
 * heartbeat, backoff, breaker, resume - is all in {@code application.yml}):
 * <ol>
 * <li>authenticate: send {@code {"type":"auth","token":...}}; {@code auth-ok} makes the
 * connection CONNECTED, {@code auth-failed} is a rejection (FATAL: retrying with the same
 * token cannot help);</li>
 * <li>one subscription, which the engine sends after every authentication, made afresh
 * each time so that it resumes after the last tick this application received
 * ({@code session.resumePosition()}); the feed's answer acknowledges or fails it;</li>
 * <li>tell the engine each tick's {@code seq}, so that it can de-duplicate replays and
 * resume;</li>
 * <li>apply ticks to the {@link PriceBoard};</li>
 * <li>heartbeat with {@code {"type":"ping"}} / {@code {"type":"pong"}} messages.</li>
 * </ol>
 * The engine calls these one at a time per connection, never on an event loop; this class
 * keeps no per-message state.
 */
@Component
@Qualifier("market-data")
public class MarketDataHandler implements ConnectionHandler {

	private static final Log logger = LogFactory.getLog(MarketDataHandler.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String TICKS = "ticks";

	private final PriceBoard board;

	private final String token;

	private final AtomicLong pingIds = new AtomicLong();

	public MarketDataHandler(PriceBoard board, @Value("${feed.token}") String token) {
		this.board = board;
		this.token = token;
	}

	@Override
	public void authenticate(AuthenticationContext auth) {
		auth.send(json(Map.of("type", "auth", "token", this.token)));
	}

	@Override
	public void onAuthenticationMessage(AuthenticationContext auth, Message message) {
		JsonNode answer = parse(message);
		switch ((answer != null) ? answer.path("type").asString("") : "") {
			case "auth-ok" -> auth.succeed();
			case "auth-failed" -> auth.reject(answer.path("reason").asString("auth-failed"));
			case "error" -> auth.fail(answer.path("reason").asString("error"));
			default -> logger.debug("Ignoring " + message + " while authenticating");
		}
	}

	/** Adding is a no-op after the first session; the engine replays it on every one. */
	@Override
	public void onConnected(ConnectionSession session) {
		session.subscriptions().add(TICKS, (current) -> {
			StreamPosition from = current.resumePosition();
			return Message.text(json((from != null && from.isNumeric())
					? Map.of("type", "subscribe", "from", from.sequence()) : Map.of("type", "subscribe")));
		});
	}

	@Override
	public StreamPosition positionOf(Message message) {
		JsonNode node = parse(message);
		return (node != null && "tick".equals(node.path("type").asString("")))
				? StreamPosition.sequence(node.path("seq").asLong()) : null;
	}

	@Override
	public void onMessage(ConnectionSession session, Message message) {
		JsonNode node = parse(message);
		switch ((node != null) ? node.path("type").asString("") : "") {
			case "tick" -> this.board.apply(new Tick(node.path("seq").asLong(), node.path("symbol").asString("?"),
					node.path("price").asDouble()));
			case "subscribed" -> {
				JsonNode from = node.get("from");
				this.board.subscribed((from != null && from.canConvertToLong()) ? from.asLong() : null,
						node.path("replayed").asLong(0), node.path("latest").asLong(0));
				session.subscriptions().acknowledge(TICKS);
			}
			case "error" -> session.subscriptions().fail(TICKS, node.path("reason").asString("error"));
			default -> logger.debug("Ignoring " + message);
		}
	}

	@Override
	public ApplicationHeartbeat applicationHeartbeat() {
		return new ApplicationHeartbeat() {

			@Override
			public Message ping() {
				return Message
					.text("{\"type\":\"ping\",\"id\":" + MarketDataHandler.this.pingIds.incrementAndGet() + "}");
			}

			@Override
			public boolean isPong(Message message) {
				return message instanceof Message.Text text && text.text().startsWith("{\"type\":\"pong\"");
			}

		};
	}

	private static JsonNode parse(Message message) {
		if (message instanceof Message.Text text) {
			try {
				return JSON.readTree(text.text());
			}
			catch (JacksonException ex) {
				logger.warn("Not JSON from the feed: " + text.text());
			}
		}
		return null;
	}

	private static String json(Map<String, Object> value) {
		return JSON.writeValueAsString(value);
	}

}
