// The demo accounts that `stip serve --demo` creates (crates/stip-web/src/demo.rs), by role.
const accounts = {
  beheerder: { email: 'beheer@stip.demo', password: 'demo-beheerder', name: 'Bea Beheer', role: 'beheerder' },
  regiegroep: { email: 'regiegroep@stip.demo', password: 'demo-regiegroep', name: 'Rik Regie', role: 'regiegroep' },
  horizon: { email: 'im@horizon.demo', password: 'demo-horizon', name: 'Hanna Horizon', role: 'informatiemanager', brin: '25LN' },
  davinci: { email: 'im@davinci.demo', password: 'demo-davinci', name: 'Daan DaVinci', role: 'informatiemanager', brin: '25LK' },
  lezer: { email: 'lezer@stip.demo', password: 'demo-lezer-1', name: 'Lotte Lezer', role: 'lezer' },
};

module.exports = { accounts };
