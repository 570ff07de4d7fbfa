package io.connectionmanager.actuate.endpoint;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * HTTP status codes for the {@link ConnectionsEndpoint} actions: 202 when the action was
 * requested, 404 for an unknown connection, 400 (with the accepted values) for a missing
 * or unknown action, 409 for a closed connection.
 */
@EndpointWebExtension(endpoint = ConnectionsEndpoint.class)
public class ConnectionsEndpointWebExtension {

	private static final int STATUS_ACCEPTED = 202;

	private static final int STATUS_CONFLICT = 409;

	private final ConnectionsEndpoint delegate;

	public ConnectionsEndpointWebExtension(ConnectionsEndpoint delegate) {
		this.delegate = delegate;
	}

	@WriteOperation
	public WebEndpointResponse<Object> perform(@Selector String name, @Nullable String action) {
		Map<String, Object> result;
		try {
			result = this.delegate.perform(name, action);
		}
		catch (IllegalArgumentException ex) {
			return error(WebEndpointResponse.STATUS_BAD_REQUEST, name, ex.getMessage());
		}
		catch (IllegalStateException ex) {
			return error(STATUS_CONFLICT, name, ex.getMessage());
		}
		if (result == null) {
			return error(WebEndpointResponse.STATUS_NOT_FOUND, name, "No connection named \"" + name + "\"");
		}
		return new WebEndpointResponse<>(result, STATUS_ACCEPTED);
	}

	private static WebEndpointResponse<Object> error(int status, String name, String message) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("status", status);
		body.put("connection", name);
		body.put("message", message);
		return new WebEndpointResponse<>(body, status);
	}

}
