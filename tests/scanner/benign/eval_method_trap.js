class Expr {
  constructor(a, b) { this.a = a; this.b = b; }
  eval() { return this.a + this.b; }
  exec(ctx) { return ctx.run(this); }
}

const e = new Expr(1, 2);
console.log(e.eval());
const obj = { eval: () => 42, Function: 'not a function' };
console.log(obj.eval());
