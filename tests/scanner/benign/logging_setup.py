import logging

logging.basicConfig(level=logging.INFO)
log = logging.getLogger("skill")
log.info("keys live in ~/.ssh/id_rsa; this tool never reads them")
log.warning("set credentials in .env before running the other tool")
