// Starts NHS.UK frontend's components. Loaded as a module from the layout:
// no inline script, so the Content-Security-Policy can forbid all of it.
import { initAll } from '/static/nhsuk/nhsuk-frontend.min.js'

document.body.classList.add('js-enabled', 'nhsuk-frontend-supported')
initAll()
