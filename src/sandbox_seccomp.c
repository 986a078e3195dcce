/* sandbox_seccomp: not written yet */
