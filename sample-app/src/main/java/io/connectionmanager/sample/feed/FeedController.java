package io.connectionmanager.sample.feed;

import java.time.Duration;
import java.util.Map;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Misbehaviour on command, for the dashboard's buttons: {@code POST /feed/{action}} with
 * action {@code drop}, {@code freeze}, {@code reject-upgrades}, {@code reject-auth},
 * {@code restart} or {@code restore}; an optional {@code seconds} parameter bounds
 * {@code freeze} and {@code reject-upgrades} (otherwise they last until {@code restore}).
 * {@code GET /feed} tells what the feed is doing.
 */
@RestController
@RequestMapping("/feed")
class FeedController {

	private final ObjectProvider<SimulatedFeed> feed;

	private final FeedProperties properties;

	FeedController(ObjectProvider<SimulatedFeed> feed, FeedProperties properties) {
		this.feed = feed;
		this.properties = properties;
	}

	@GetMapping
	ResponseEntity<Object> status() {
		SimulatedFeed embedded = this.feed.getIfAvailable();
		if (embedded == null) {
			return ResponseEntity.ok(Map.of("embedded", false, "url", String.valueOf(this.properties.getUrl())));
		}
		return ResponseEntity.ok(embedded.status());
	}

	@PostMapping("/{action}")
	ResponseEntity<Object> misbehave(@PathVariable String action, @RequestParam(required = false) Long seconds) {
		SimulatedFeed embedded = this.feed.getIfAvailable();
		if (embedded == null) {
			return ResponseEntity.status(HttpStatus.CONFLICT)
				.body(Map.of("error", "no embedded feed (feed.embedded=false)"));
		}
		Duration duration = (seconds != null && seconds > 0) ? Duration.ofSeconds(seconds) : null;
		switch (action) {
			case "drop" -> embedded.drop();
			case "freeze" -> embedded.freeze(duration);
			case "reject-upgrades" -> embedded.rejectUpgrades(duration, true);
			case "reject-auth" -> embedded.rejectAuthentication(true);
			case "restart" -> embedded.restart();
			case "restore" -> embedded.restore();
			default -> {
				return ResponseEntity.badRequest()
					.body(Map.of("error", "unknown action '" + action
							+ "'; one of drop, freeze, reject-upgrades, reject-auth, restart, restore"));
			}
		}
		return ResponseEntity.ok(embedded.status());
	}

}
