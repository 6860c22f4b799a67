package ckp.kiosk.service;

import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * What "the kiosk is alive" means for the watchdog: the camera delivered frames since the last check (or is known
 * idle: a source that ended), and the store answers a query. A hung camera driver or a locked database both fail it.
 */
public final class PipelineProgress implements BooleanSupplier {
    private final LongSupplier framesRead;
    private final BooleanSupplier cameraIdle;
    private final LongSupplier storeQuery;
    private long lastFrames = -1;

    public PipelineProgress(LongSupplier framesRead, BooleanSupplier cameraIdle, LongSupplier storeQuery) {
        this.framesRead = framesRead;
        this.cameraIdle = cameraIdle;
        this.storeQuery = storeQuery;
    }

    @Override
    public synchronized boolean getAsBoolean() {
        long frames = framesRead.getAsLong();
        boolean cameraOk = frames > lastFrames || cameraIdle.getAsBoolean();
        lastFrames = frames;
        storeQuery.getAsLong();
        return cameraOk;
    }
}
