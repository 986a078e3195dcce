// expect: js-decode-exec,js-dynamic-code
eval(atob('Y29uc29sZS5sb2coMSk='));
