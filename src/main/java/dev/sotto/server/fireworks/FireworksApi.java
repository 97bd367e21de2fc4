package dev.sotto.server.fireworks;

import dev.sotto.server.core.Api;
import dev.sotto.server.core.LiveEndpoint;
import dev.sotto.server.core.ServerContext;
import io.javalin.config.RoutesConfig;

/**
 * Fireworks' streaming transcription: a WebSocket at {@code /v1/audio/transcriptions/streaming}
 * taking binary frames of 16-bit 16 kHz mono PCM and answering the rolling {@code segments}
 * window (see {@link FireworksSession}).
 */
public final class FireworksApi implements Api {
    static final String PATH = "/v1/audio/transcriptions/streaming";

    private final ServerContext server;

    public FireworksApi(ServerContext server) {
        this.server = server;
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.wsBeforeUpgrade(PATH, ctx -> LiveEndpoint.checkKey(server, ctx, "Authorization", "api_key"));
        routes.ws(PATH, ws -> {
            ws.onConnect(ctx -> FireworksSession.open(server, ctx));
            ws.onBinaryMessage(ctx -> FireworksSession.of(ctx).audio(ctx.data()));
            ws.onMessage(ctx -> FireworksSession.of(ctx).text(ctx.message()));
            ws.onClose(ctx -> FireworksSession.closed(ctx));
            ws.onError(ctx -> FireworksSession.closed(ctx));
        });
    }
}
