console.log('demo TODO')
