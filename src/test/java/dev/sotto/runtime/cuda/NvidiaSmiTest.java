package dev.sotto.runtime.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading nvidia-smi's answer, including from a stand-in script (this machine has no driver). */
class NvidiaSmiTest {
    @Test
    void parsesGpusAndTheDriverVersion() {
        NvidiaSmi smi = NvidiaSmi.parse("0, NVIDIA H200, 570.86.15, 143771, 9.0\n1, NVIDIA A10, 570.86.15, 23028, 8.6\n");
        assertEquals(List.of(new NvidiaSmi.Gpu(0, "NVIDIA H200", 143771, "9.0"), new NvidiaSmi.Gpu(1, "NVIDIA A10", 23028, "8.6")),
                smi.gpus());
        assertEquals("570.86.15", smi.driver());
        assertTrue(smi.driverSupportsCuda12());
        assertFalse(NvidiaSmi.parse("0, Tesla K80, 470.82.01, 11441").driverSupportsCuda12());
        assertTrue(NvidiaSmi.parse("0, Tesla T4, 525.60.13, 15360").driverSupportsCuda12());
        assertTrue(NvidiaSmi.parse("NVIDIA-SMI has failed").problem().orElseThrow().contains("unexpected"));
    }

    @Test
    void noNvidiaSmiIsSaidInWords(@TempDir Path tmp) {
        NvidiaSmi smi = NvidiaSmi.query(tmp.resolve("nvidia-smi").toString());
        assertEquals(Optional.of("no nvidia-smi on the PATH (it comes with the NVIDIA driver)"), smi.problem());
        assertEquals(List.of(), smi.gpus());
    }

    @Test
    void oldDriversAreAskedAgainWithoutTheComputeCapability(@TempDir Path tmp) throws Exception {
        Path script = tmp.resolve("nvidia-smi");
        Files.writeString(script, """
                #!/bin/sh
                case "$1" in
                  *compute_cap*) echo 'Field "compute_cap" is not a valid field to query.'; exit 2 ;;
                esac
                echo '0, Tesla T4, 515.65.01, 15360'
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        NvidiaSmi smi = NvidiaSmi.query(script.toString());
        assertEquals(Optional.empty(), smi.problem());
        assertEquals(new NvidiaSmi.Gpu(0, "Tesla T4", 15360, ""), smi.gpu(0).orElseThrow());
        assertFalse(smi.driverSupportsCuda12());
    }

    @Test
    void aFailingNvidiaSmiIsReportedWithItsMessage(@TempDir Path tmp) throws Exception {
        Path script = tmp.resolve("nvidia-smi");
        Files.writeString(script, "#!/bin/sh\necho \"NVIDIA-SMI has failed because it couldn't communicate with the "
                + "NVIDIA driver.\"\nexit 9\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        assertEquals(Optional.of("nvidia-smi failed (exit status 9): NVIDIA-SMI has failed because it couldn't communicate "
                + "with the NVIDIA driver."), NvidiaSmi.query(script.toString()).problem());
    }
}
