package io.connectionmanager.sample.dashboard;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The dashboard's data: {@code GET /dashboard/events} streams it (server-sent events
 * named {@code state}), {@code GET /dashboard/state} returns it once. The page itself is
 * {@code static/index.html}.
 */
@RestController
@RequestMapping("/dashboard")
class DashboardController {

	private final Dashboard dashboard;

	DashboardController(Dashboard dashboard) {
		this.dashboard = dashboard;
	}

	@GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter events() {
		return this.dashboard.subscribe();
	}

	@GetMapping("/state")
	Dashboard.State state() {
		return this.dashboard.state();
	}

}
