package layer45.mnet.phy.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ErrnoTest {

    @Test
    void namesTheValuesOperatorsMeet() {
        assertEquals("EPERM", Errno.name(1));
        assertEquals("ENOENT", Errno.name(2));
        assertEquals("EINTR", Errno.name(4));
        assertEquals("EAGAIN", Errno.name(11));
        assertEquals("EACCES", Errno.name(13));
        assertEquals("EBUSY", Errno.name(16));
        assertEquals("ENODEV", Errno.name(19));
        assertEquals("EBADFD", Errno.name(77));
    }

    @Test
    void numbersTheOthers() {
        assertEquals("errno 4095", Errno.name(4095));
    }

    @Test
    void describesWithTheCLibraryMessageAndTheName() {
        assertEquals("Operation not permitted (EPERM)", Errno.describe(Errno.EPERM));
        assertEquals("No such file or directory (ENOENT)", Errno.describe(Errno.ENOENT));
        assertEquals("Resource temporarily unavailable (EAGAIN)", Errno.describe(Errno.EAGAIN));
    }
}
