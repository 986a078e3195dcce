/* ================================================================ sandbox gate ===
 * Level 3: the static scanner's gate, run on the policy's work_dir before every spawn.
 */

/* Scans policy->work_dir and decides with the policy's confirmation settings, exactly as
 * sl_scan_gate does. Returns SL_OK at levels 1 and 2, and at level 3 when the gate lets
 * the run go. Otherwise it returns the gate's code with `err` filled: SL_ESCAN_BLOCKED,
 * SL_ESCAN_EXPIRED, SL_ESCAN_MISMATCH, or the scan's own error. */
static int sl__sandbox_gate(const sl_sandbox_policy *policy, sl_error *err)
{
    sl_scan_gate_options gate;
    sl_scan_report *report = NULL;
    int rc;

    if (policy == NULL || policy->level != 3) {
        return SL_OK;
    }

    /* SECURITY: level 3 must never run code it did not scan, so a run without a folder
     * to scan is rejected rather than treated as level 2. */
    if (policy->work_dir == NULL) {
        return sl__error(err, SL_ESANDBOX_POLICY,
                         "level 3 scans work_dir before the run, but work_dir is NULL; set "
                         "it to the folder of the code to run, or run a skill with "
                         "sl_skill_run");
    }

    sl_scan_gate_options_init(&gate);
    gate.scanner = policy->scanner;
    gate.registry = policy->scan_registry;
    gate.scan_id = policy->scan_id;
    gate.confirm = policy->confirm;
    gate.confirm_user = policy->confirm_user;
    gate.allow_critical = policy->allow_critical;
    rc = sl_scan_gate(&gate, policy->work_dir, &report, err);
    sl_scan_report_free(report);
    return rc;
}
