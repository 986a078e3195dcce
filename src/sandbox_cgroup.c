/* sandbox_cgroup: not written yet */
