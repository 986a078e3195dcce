cat <<-EOF | sh
	echo $(( 1 + 2 )) ${x:-"}"} `date`
	EOF
f() { :; }; case x in a) echo;; esac
