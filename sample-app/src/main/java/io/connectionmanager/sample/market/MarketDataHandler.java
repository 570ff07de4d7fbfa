package io.connectionmanager.sample.market;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.connectionmanager.core.ApplicationHeartbeat;
import io.connectionmanager.core.AuthenticationContext;
import io.connectionmanager.core.ConnectionHandler;
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
 * <li>authenticate: send {@code {"type":"auth","token":...}}; {@code auth-ok} goes on,
 * {@code auth-failed} is a rejection (the connection becomes FATAL: retrying with the
 * same token cannot help);</li>
 * <li>subscribe, resuming after the last tick this application received
 * ({@code auth.resumePosition()}), and become CONNECTED when the feed confirms;</li>
 * <li>tell the engine each tick's {@code seq}, so that it can de-duplicate replays and
 * resume;</li>
 * <li>apply ticks to the {@link PriceBoard};</li>
 * <li>heartbeat with {@code {"type":"ping"}} / {@code {"type":"pong"}} messages.</li>
 * </ol>
 * The engine calls these one at a time per connection and never concurrently for one
 * message; this class keeps no per-message state, so it does not care which thread that
 * is.
 */
@Component
@Qualifier("market-data")
public class MarketDataHandler implements ConnectionHandler {

	private static final Log logger = LogFactory.getLog(MarketDataHandler.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final PriceBoard board;

	private final String token;

	private final AtomicLong pingIds = new AtomicLong();

	public MarketDataHandler(PriceBoard board, @Value("${feed.token}") String token) {
		this.board = board;
		this.token = token;
	}

	@Override
	public void authenticate(AuthenticationContext auth) {
		auth.send(Message.text(json(Map.of("type", "auth", "token", this.token))));
	}

	@Override
	public void onAuthenticationMessage(AuthenticationContext auth, Message message) {
		JsonNode answer = parse(message);
		String type = (answer != null) ? answer.path("type").asString("") : "";
		switch (type) {
			case "auth-ok" -> auth.send(Message.text(subscribeRequest(auth.resumePosition())));
			case "auth-failed" -> auth.reject(answer.path("reason").asString("auth-failed"));
			case "subscribed" -> {
				JsonNode from = answer.get("from");
				this.board.subscribed((from != null && from.canConvertToLong()) ? from.asLong() : null,
						answer.path("replayed").asLong(0), answer.path("latest").asLong(0));
				auth.succeed();
			}
			case "error" -> auth.fail(answer.path("reason").asString("error"));
			default -> logger.debug("Ignoring " + message + " while authenticating");
		}
	}

	private static String subscribeRequest(StreamPosition resumeFrom) {
		Map<String, Object> request = new LinkedHashMap<>();
		request.put("type", "subscribe");
		if (resumeFrom != null && resumeFrom.isNumeric()) {
			request.put("from", resumeFrom.sequence());
		}
		return json(request);
	}

	@Override
	public StreamPosition positionOf(Message message) {
		JsonNode node = parse(message);
		if (node != null && "tick".equals(node.path("type").asString(""))) {
			return StreamPosition.sequence(node.path("seq").asLong());
		}
		return null;
	}

	@Override
	public void onMessage(Message message) {
		JsonNode node = parse(message);
		if (node != null && "tick".equals(node.path("type").asString(""))) {
			this.board.apply(new Tick(node.path("seq").asLong(), node.path("symbol").asString("?"),
					node.path("price").asDouble()));
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

	/**
	 * Parses a feed message; stateless, since positionOf and onMessage may run on
	 * different threads.
	 */
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
