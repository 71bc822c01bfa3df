const { Router } = require('express')
const db = require('../db')

const router = Router()

// ok: express.require-auth-missing
router.get('/', async (req, res) => {
  res.json(await db.item.findMany())
})

module.exports = router
