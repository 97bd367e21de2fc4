package dev.sotto.server.core;

/**
 * A request that cannot be served, with the HTTP status to answer and a message the client
 * can act on. Each API renders it in its own error shape; {@code code} is a short machine
 * name (OpenAI's {@code code}, e.g. "model_not_found"), {@code param} the request field at fault.
 */
public final class ServeException extends RuntimeException {
    private final int status;
    private final String code;
    private final String param;

    public ServeException(int status, String code, String param, String message) {
        super(message);
        this.status = status;
        this.code = code;
        this.param = param;
    }

    public static ServeException badRequest(String param, String message) {
        return new ServeException(400, "invalid_request", param, message);
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String param() {
        return param;
    }
}
