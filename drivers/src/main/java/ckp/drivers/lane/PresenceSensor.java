package ckp.drivers.lane;

/** The optional vehicle presence sensor (induction loop or light barrier) at the lane. */
public interface PresenceSensor extends AutoCloseable {

    /** Whether a vehicle is at the kiosk now. */
    boolean present();

    @Override
    void close();
}
