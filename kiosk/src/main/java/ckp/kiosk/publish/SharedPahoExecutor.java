package ckp.kiosk.publish;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The executor many Paho clients share: each task (a client's receiver, sender, callback, connect and disconnect) on a
 * thread of its own — virtual where the JDK allows — and every keep-alive check on one timer thread, which only hands
 * the check to such a thread. Without it each Paho client starts four platform threads (three plus a {@code Timer}).
 * Paho never shuts down an executor it was given; {@link #close} does, once every client is closed.
 */
public final class SharedPahoExecutor extends AbstractExecutorService implements ScheduledExecutorService {
    private final ThreadFactory tasks;
    private final ScheduledThreadPoolExecutor timer;

    public SharedPahoExecutor() {
        this.tasks = SessionThreads.virtualThreadsUnpinned() ? Thread.ofVirtual().name("paho-task").factory()
                : Thread.ofPlatform().name("paho-task").daemon().factory();
        this.timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().name("paho-timer").daemon().factory());
        this.timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public void execute(Runnable command) {
        if (timer.isShutdown()) {
            throw new java.util.concurrent.RejectedExecutionException("the shared Paho executor is closed");
        }
        tasks.newThread(command).start();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return timer.schedule(() -> execute(command), delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return timer.schedule(callable, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return timer.scheduleAtFixedRate(() -> execute(command), initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return timer.scheduleWithFixedDelay(() -> execute(command), initialDelay, delay, unit);
    }

    @Override
    public void shutdown() {
        timer.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        return timer.shutdownNow();
    }

    @Override
    public boolean isShutdown() {
        return timer.isShutdown();
    }

    @Override
    public boolean isTerminated() {
        return timer.isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return timer.awaitTermination(timeout, unit);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
